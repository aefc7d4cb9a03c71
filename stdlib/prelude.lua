-- Loaded before any script or REPL line: the globals every session has.
pretty = require "pretty"   -- a global: scripts format tables with it too

--- Prints values readably (nested tables, rows as columns).
function show(...)
  print(pretty.show(...))
end
document(show, { name = "show", args = "...", summary = "Prints values readably: tables nested and sorted, rows as aligned columns." })

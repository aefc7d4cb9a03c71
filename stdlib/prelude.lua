-- Loaded before any script or REPL line: the globals every session has.
pretty = require "pretty"   -- a global: scripts format tables with it too

--- Prints values readably (nested tables, rows as columns).
function show(...)
  print(pretty.show(...))
end
document(show, { name = "show", args = "...", summary = "Prints values readably: tables nested and sorted, rows as aligned columns." })

--- Draws y against x for runs (or points) in the terminal.
function plot(runs, x, y, options)
  print(report.plot(runs, x, y, options))
end
document(plot, { name = "plot", args = "runs, x, y, [{hardware=, width=, height=, title=, log_x=, log_y=}]",
  summary = "Prints a terminal chart of y against x (run fields such as 'concurrency', 'ttft.p50', or 'cost_per_task' with hardware)." })

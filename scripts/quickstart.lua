-- The Quick start's main job. For now it opens the results store and prints
-- what it holds; later it grows into a sweep on the built-in simulator.
-- Usage: frontier run scripts/quickstart.lua
print(string.format("frontier %s — results store: %s", sys.version(), db.path()))

local version = db.query("pragma user_version")[1].user_version
print(string.format("schema version %d; tables: %s", version, table.concat(db.tables(), ", ")))

local runs = db.query([[
  select source, status, count(*) as runs,
         (select count(*) from requests r join runs x using (run_id)
           where x.source = runs.source and x.status = runs.status) as requests
  from runs group by source, status order by source, status]])
if #runs == 0 then
  print("no runs stored yet")
else
  print("runs by source and status:")
  show(runs)
end

print("help() lists the modules; `frontier` with no arguments opens the REPL on this store.")

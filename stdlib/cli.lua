-- The shell's `frontier report` and `frontier compare`, written over the same
-- bindings a script uses. The CLI calls these functions with one options table.
local M = {}

local function hardware(o)
  if o.gpu then return cost.gpu{ name = o.gpu, gpus = o.gpus } end
  if o.hourly then return cost.cloud{ hourly = o.hourly, gpus = o.gpus } end
  return nil
end

--- Writes the HTML report of the stored runs with o.tag (its latest sweep unless o.sweep
--- says otherwise; every run when there is no tag).
function M.report(o)
  local sweep = o.sweep and (math.tointeger(tonumber(o.sweep)) or o.sweep)
  local runs = bench.runs{ tag = o.tag, sweep = sweep }
  if #runs == 0 then
    error(string.format("no runs%s%s in %s", o.tag and (" tagged '" .. o.tag .. "'") or "",
                        sweep and (" in sweep " .. tostring(sweep)) or "", db.path()), 0)
  end
  local judge = o.sla and sla(o.sla)
  if o.summary then
    for i, a in ipairs(report.answers{ runs = runs, hardware = hardware(o), sla = judge }) do
      print((i > 1 and "\n" or "") .. a.text)
    end
    return
  end
  local path = report.html{ runs = runs, out = o.out, hardware = hardware(o), sla = judge,
                            title = o.title or ("frontier report" .. (o.tag and (": " .. o.tag) or "")) }
  print(string.format("wrote %s (%d runs)", path, #runs))
end

--- Prints two stored runs side by side (o.a is the baseline).
function M.compare(o)
  local a, b = bench.load(o.a), bench.load(o.b)
  print(string.format("run %d (a) vs run %d (b)", a.run_id, b.run_id))
  print(require("compare").format(bench.compare(a, b, { hardware = hardware(o) }), "a", "b"))
end

document(M, { name = "cli", summary = "The shell subcommands written in Lua (frontier report, frontier compare)." })
document(M.report, { name = "cli.report", args = "{tag=, sweep=, summary=false, out=, gpu=, hourly=, gpus=1, sla=, title=}",
  summary = "Writes the HTML report of stored runs, or with summary=true prints each sweep's answer (what `frontier report [--summary]` runs)." })
document(M.compare, { name = "cli.compare", args = "{a=, b=, gpu=, hourly=, gpus=1}",
  summary = "Prints two stored runs side by side with differences beyond noise (what `frontier compare` runs)." })

return M

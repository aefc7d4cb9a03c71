-- What the scripts under scripts/experiments/ share: their key=value arguments and the
-- server they measure (the built-in test server by default, or a URL).
local M = {}

local function parse(key, text, default)
  if type(default) == "number" then
    local n = tonumber(text)
    if n == nil then error(string.format("argument '%s' must be a number, got '%s'", key, text), 0) end
    return n
  elseif type(default) == "table" then  -- a list of numbers: 8,16,32
    local list = {}
    for part in text:gmatch("[^,]+") do
      local n = tonumber(part)
      if n == nil then error(string.format("argument '%s' must be numbers separated by commas, got '%s'", key, text), 0) end
      list[#list + 1] = n
    end
    if #list == 0 then error(string.format("argument '%s' is empty", key), 0) end
    return list
  end
  return text
end

--- The script's key=value arguments over its defaults; an unknown key or a value of the wrong kind is an error naming it.
function M.options(args, defaults)
  local o = {}
  for k, v in pairs(defaults) do o[k] = v end
  for _, a in ipairs(args or {}) do
    local key, text = a:match("^([%w_]+)=(.*)$")
    if not key then
      error(string.format("argument '%s' is not key=value (known keys: %s)", a, M.keys(defaults)), 0)
    end
    if defaults[key] == nil then
      error(string.format("unknown argument '%s' (known keys: %s)", key, M.keys(defaults)), 0)
    end
    o[key] = parse(key, text, defaults[key])
  end
  return o
end

--- The argument names a script takes, sorted and comma-separated (for its usage line).
function M.keys(defaults)
  local keys = {}
  for k in pairs(defaults) do keys[#keys + 1] = k end
  table.sort(keys)
  return table.concat(keys, ", ")
end

--- The server to measure: bench.openai at o.url (model o.model, api o.api), or a built-in test server started with test_server options; returns target, stop function, description.
function M.target(o, test_server)
  if o.url ~= "" then
    local t = bench.openai{ url = o.url, model = o.model ~= "" and o.model or nil, api = o.api ~= "" and o.api or nil }
    return t, function() end, o.url
  end
  local s = bench.test_server(test_server)
  return s:target(), function() s:stop() end, "the built-in test server at " .. s.url
end

document(M, { name = "experiment", summary = "What the scripts under scripts/experiments/ share: key=value arguments and the server they measure." })
document(M.options, { name = "experiment.options", args = "arg, defaults",
  summary = "The script's key=value arguments over its defaults; an unknown key or a value of the wrong kind is an error naming it." })
document(M.keys, { name = "experiment.keys", args = "defaults",
  summary = "The argument names a script takes, sorted and comma-separated." })
document(M.target, { name = "experiment.target", args = "options, [test_server_options]",
  summary = "The server to measure: bench.openai at options.url, or a built-in test server; returns target, stop function, description." })

return M

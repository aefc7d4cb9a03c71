-- Readable text for Lua values: what the REPL prints and show() returns.
-- Tables print nested with sorted keys and long ones cut with a count;
-- arrays of records (rows from db.query, runs) print as aligned columns.
local M = {}

M.width = 100        -- target line width
M.max_items = 30     -- entries shown per table before "… (N more)"
M.max_rows = 40      -- rows shown in a column table
M.max_depth = 4

local function is_identifier(s)
  return type(s) == "string" and s:match("^[%a_][%w_]*$") ~= nil
end

local function safe_tostring(v)
  local ok, s = pcall(tostring, v)
  return ok and s or ("<" .. type(v) .. ">")
end

local function scalar(v)
  local t = type(v)
  if t == "string" then return (string.format("%q", v):gsub("\\\n", "\\n")) end
  if t == "number" then return safe_tostring(v) end
  return safe_tostring(v)
end

-- Keys in display order: the array part 1..n first, then the rest sorted
-- (numbers before strings, each in its natural order).
local function sorted_keys(t)
  local n = #t
  local keys = {}
  for i = 1, n do keys[#keys + 1] = i end
  local rest = {}
  for k in next, t do
    if not (math.type(k) == "integer" and k >= 1 and k <= n) then rest[#rest + 1] = k end
  end
  table.sort(rest, function(a, b)
    local ta, tb = type(a), type(b)
    if ta ~= tb then return ta < tb end
    if ta == "number" or ta == "string" then return a < b end
    return safe_tostring(a) < safe_tostring(b)
  end)
  for _, k in ipairs(rest) do keys[#keys + 1] = k end
  return keys, n
end

local format_value

local function format_table(t, indent, depth, seen)
  if seen[t] then return "<cycle>" end
  local mt = getmetatable(t)
  if type(mt) == "table" and rawget(mt, "__tostring") then return safe_tostring(t) end
  if depth > M.max_depth then return "{…}" end
  seen[t] = true
  local keys, n = sorted_keys(t)
  local parts = {}
  local shown = math.min(#keys, M.max_items)
  for i = 1, shown do
    local k = keys[i]
    local v = format_value(rawget(t, k), indent .. "  ", depth + 1, seen)
    if math.type(k) == "integer" and k >= 1 and k <= n then
      parts[#parts + 1] = v
    elseif is_identifier(k) then
      parts[#parts + 1] = k .. " = " .. v
    else
      parts[#parts + 1] = "[" .. scalar(k) .. "] = " .. v
    end
  end
  if #keys > shown then parts[#parts + 1] = string.format("… (%d more)", #keys - shown) end
  seen[t] = nil
  if #parts == 0 then return "{}" end
  local one = "{ " .. table.concat(parts, ", ") .. " }"
  if #one + #indent <= M.width and not one:find("\n") then return one end
  return "{\n" .. indent .. "  " .. table.concat(parts, ",\n" .. indent .. "  ") .. ",\n" .. indent .. "}"
end

format_value = function(v, indent, depth, seen)
  if type(v) == "table" then return format_table(v, indent, depth, seen) end
  return scalar(v)
end

-- A cell in a column table: short floats, plain strings.
local function cell(v)
  if v == nil then return "" end
  if math.type(v) == "float" then return string.format("%.6g", v) end
  if type(v) == "table" then return format_table(v, "", M.max_depth, {}) end
  return safe_tostring(v)
end

-- Columns of an array of records: the metatable's `columns` (db.query sets
-- them in SELECT order), else every string key, sorted.
local function record_columns(t)
  local mt = getmetatable(t)
  if type(mt) == "table" and type(rawget(mt, "columns")) == "table" then return rawget(mt, "columns") end
  local n = #t
  if n == 0 then return nil end
  local set, cols = {}, {}
  for i = 1, n do
    local r = rawget(t, i)
    if type(r) ~= "table" or getmetatable(r) ~= nil or #r > 0 then return nil end
    for k, v in next, r do
      if type(k) ~= "string" or type(v) == "table" or type(v) == "function" then return nil end
      if not set[k] then set[k] = true; cols[#cols + 1] = k end
    end
  end
  for k in next, t do
    if not (math.type(k) == "integer" and k >= 1 and k <= n) then return nil end
  end
  table.sort(cols)
  return cols
end

--- Formats an array of records as aligned columns (numbers right-aligned).
function M.columns(rows, cols)
  cols = cols or record_columns(rows)
  local n = #rows
  if n == 0 then return "(no rows)" end
  local shown = math.min(n, M.max_rows)
  local widths, cells, numeric = {}, {}, {}
  for j, c in ipairs(cols) do widths[j] = utf8.len(c) or #c; numeric[j] = true end
  for i = 1, shown do
    local row = {}
    for j, c in ipairs(cols) do
      local v = rawget(rows[i], c)
      local s = cell(v)
      if v ~= nil and type(v) ~= "number" then numeric[j] = false end
      row[j] = s
      widths[j] = math.max(widths[j], utf8.len(s) or #s)
    end
    cells[i] = row
  end
  local function pad(s, w, right)
    local fill = string.rep(" ", w - (utf8.len(s) or #s))
    return right and (fill .. s) or (s .. fill)
  end
  local lines = {}
  local head, rule = {}, {}
  for j, c in ipairs(cols) do
    head[j] = pad(c, widths[j], numeric[j])
    rule[j] = string.rep("-", widths[j])
  end
  lines[1] = (table.concat(head, "  "):gsub("%s+$", ""))
  lines[2] = table.concat(rule, "  ")
  for i = 1, shown do
    local row = {}
    for j = 1, #cols do row[j] = pad(cells[i][j], widths[j], numeric[j]) end
    lines[#lines + 1] = (table.concat(row, "  "):gsub("%s+$", ""))
  end
  if n > shown then lines[#lines + 1] = string.format("… (%d more rows)", n - shown) end
  return table.concat(lines, "\n")
end

--- Formats one value: strings as they are, tables readably.
function M.format(v)
  if type(v) == "string" then return v end
  if type(v) == "table" then
    local cols = record_columns(v)
    if cols and #cols > 0 then return M.columns(v, cols) end
    if cols and #v == 0 and getmetatable(v) and rawget(getmetatable(v), "columns") then return "(no rows)" end
    return format_table(v, "", 1, {})
  end
  return scalar(v)
end

--- Formats several values, separated by tabs (as print does).
function M.show(...)
  local n = select("#", ...)
  local out = {}
  for i = 1, n do out[i] = M.format((select(i, ...))) end
  return table.concat(out, "\t")
end

document(M, { name = "pretty", summary = "Readable text for values: nested tables, aligned columns." })
document(M.format, { name = "pretty.format", args = "value",
  summary = "Text for one value: tables nested with sorted keys, arrays of records as columns." })
document(M.columns, { name = "pretty.columns", args = "rows, [columns]",
  summary = "Aligned columns for an array of records, in the given column order." })
document(M.show, { name = "pretty.show", args = "...", summary = "Text for several values, tab-separated." })

return M

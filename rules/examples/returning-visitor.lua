-- returning-visitor: welcome back a visitor who has been here before, by name when we know it.
--
-- Reads:   event.type, visitor.returning, visitor.attributes.name
-- Returns: { message = "Welcome back, Anna! ...", delay_ms = 1500, cooldown_s = 604800 } for a
--          "returning_visit" event, or a "page_view" event when visitor.returning is true;
--          nil for everything else. The 7-day cooldown keeps it to one greeting a week per visitor.
--
-- attributes.name is visitor-controlled text: it is only used when it is a string of 1-40 characters made of
-- ASCII letters, spaces, . ' - and non-ASCII characters (so "Zoë" and "Ángel" work); digits, other punctuation
-- (< > @ / : ...) and control characters get the greeting without a name.

local DELAY_MS = 1500
local SEVEN_DAYS = 7 * 24 * 3600
local MAX_NAME_CHARS = 40

-- The visitor's name if it is safe and short enough to show, otherwise nil.
local function display_name(name)
  if type(name) ~= "string" or #name > 4 * MAX_NAME_CHARS then
    return nil -- checked before any pattern work on the text
  end
  name = string.match(name, "^%s*(.-)%s*$")
  local chars = utf8.len(name) -- nil for invalid UTF-8
  if chars == nil or chars < 1 or chars > MAX_NAME_CHARS then
    return nil
  end
  if string.find(name, "[^%a %.'%-\128-\255]") then
    return nil
  end
  return name
end

function on_event(event, visitor)
  local returning = event.type == "returning_visit" or (event.type == "page_view" and visitor.returning)
  if not returning then
    return nil
  end
  local name = display_name(visitor.attributes.name)
  local greeting = name and ("Welcome back, " .. name .. "!") or "Welcome back!"
  return {
    message = greeting .. " Anything I can help you with today?",
    delay_ms = DELAY_MS,
    cooldown_s = SEVEN_DAYS,
  }
end

-- cart-abandonment: nudge a visitor who is about to leave (or just changed the cart) with items in the cart.
--
-- Reads:   event.type, event.cart.items, event.cart.value, event.cart.currency
-- Returns: { message = "You still have 3 items (59.90 EUR) in your cart...", delay_ms = 2000, cooldown_s = 3600 }
--          for an "exit_intent" or "cart_updated" event whose cart has at least one item;
--          nil for an empty or missing cart and for other events.
--          The engine enforces the cooldown (one nudge per visitor per hour from this rule).
--
-- The cart comes from your site's widget code, so the rule checks its types and only shows a value with a
-- three-letter currency code.

local DELAY_MS = 2000
local ONE_HOUR = 3600

local TRIGGERS = { exit_intent = true, cart_updated = true }

-- "59.90 EUR", or nil when the value or currency is missing or odd.
local function format_value(cart)
  local value, currency = cart.value, cart.currency
  if type(value) ~= "number" or value <= 0 or value >= 1e9 then
    return nil
  end
  if type(currency) ~= "string" or not string.find(currency, "^%u%u%u$") then
    return nil
  end
  return string.format("%.2f %s", value, currency)
end

function on_event(event, visitor)
  local cart = event.cart
  if not TRIGGERS[event.type] or cart == nil then
    return nil
  end
  local items = math.tointeger(cart.items)
  if items == nil or items < 1 then
    return nil
  end
  local what = items == 1 and "1 item" or string.format("%d items", items)
  local value = format_value(cart)
  if value then
    what = what .. " (" .. value .. ")"
  end
  return {
    message = "You still have " .. what .. " in your cart. Any questions before you check out?",
    delay_ms = DELAY_MS,
    cooldown_s = ONE_HOUR,
  }
end

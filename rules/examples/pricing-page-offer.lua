-- pricing-page-offer: offer help to a visitor who has spent 30 seconds on a pricing page.
--
-- Reads:   event.type, event.seconds, event.page_url
-- Returns: { message = ..., cooldown_s = 86400 } for a "time_on_page" event with seconds >= 30 on a page whose
--          URL path contains "/pricing" (e.g. https://shop.example/pricing, /en/pricing-plans);
--          nil for other events, other pages, or less than 30 seconds.
--          The engine enforces the cooldown (at most one offer per visitor per day from this rule) and the
--          per-visitor cap on proactive messages across all rules.

local MIN_SECONDS = 30
local ONE_DAY = 86400

-- The path of a URL, lower-cased, without query string or fragment:
-- "https://Shop.example/Pricing?plan=pro#faq" -> "/pricing". Both patterns are anchored, so matching is linear.
local function url_path(url)
  local path = string.match(url, "^%a[%w+.-]*://[^/?#]*(/[^?#]*)") or string.match(url, "^/[^?#]*")
  return path and string.lower(path)
end

function on_event(event, visitor)
  if event.type ~= "time_on_page" or (event.seconds or 0) < MIN_SECONDS or event.page_url == nil then
    return nil
  end
  local path = url_path(event.page_url)
  if path == nil or not string.find(path, "/pricing", 1, true) then
    return nil
  end
  return {
    message = "Comparing plans? I'm happy to answer questions about pricing or help you pick the right one.",
    cooldown_s = ONE_DAY,
  }
end

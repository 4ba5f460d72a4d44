-- vip-routing: enterprise and VIP customers get a dedicated queue.
--
-- Reads:   turn.visitor.attributes.plan, turn.visitor.attributes.vip, turn.text, turn.sentiment
-- Returns: for a VIP (attributes.plan == "enterprise" or attributes.vip == true):
--            { escalate = { skill = "vip", priority = 3, ... }, tag = "vip" } when they ask for a human
--            or the sentiment is <= -0.4;
--            { tag = "vip" } otherwise (the bot keeps answering, the conversation is marked).
--          nil for everyone else.
--
-- Attributes come from your site's widget code or from rules. Set `plan`/`vip` from your backend for signed-in
-- users only; a visitor who can run script on your page can set any attribute they like.
-- Rules run in name order: a rule that escalates earlier (for example the default "human-handoff") wins. To
-- route VIPs first, give this rule a name that sorts before it, such as "0-vip-routing".

local NEGATIVE = -0.4

-- Lower-cased words, matched as plain text anywhere in the message. Broad on purpose: a false positive gives
-- a paying customer a person, which is what they pay for. (The default "human-handoff" is stricter.)
local HUMAN_PHRASES = {
  "human", "real person", "agent", "representative", "someone from your team", -- en
  "mitarbeiter", "menschen",                                                   -- de
  "conseiller", "humain",                                                      -- fr
  "asesor", "humano", "persona real",                                          -- es
}

local function is_vip(attributes)
  return attributes.plan == "enterprise" or attributes.vip == true
end

local function asks_for_human(text)
  local lower = string.lower(text)
  for _, phrase in ipairs(HUMAN_PHRASES) do
    if string.find(lower, phrase, 1, true) then
      return true
    end
  end
  return false
end

function on_message(turn)
  if not is_vip(turn.visitor.attributes) then
    return nil
  end
  local upset = turn.sentiment ~= nil and turn.sentiment <= NEGATIVE
  if upset or asks_for_human(turn.text) then
    return {
      escalate = {
        skill = "vip",
        priority = 3,
        reason = upset and "VIP customer, negative sentiment" or "VIP customer asked for a human",
        message = "Of course. I'm connecting you with your account team now.",
      },
      tag = "vip",
    }
  end
  return { tag = "vip" }
end

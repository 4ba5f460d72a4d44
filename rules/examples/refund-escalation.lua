-- refund-escalation: an angry customer asking for their money back goes straight to the billing team.
--
-- Reads:   turn.intent, turn.intent_confidence, turn.text, turn.sentiment
-- Returns: { escalate = { skill = "billing", priority = 2, reason = ..., message = ... }, tag = "refund" }
--          when the message is a refund request (intent "refund" or "request_refund" with confidence >= 0.6,
--          or a refund keyword in English, German, French or Spanish) AND the sentiment is <= -0.4.
--          Otherwise nil: calm refund questions are left to the bot, and so is a turn without a sentiment score.

local MIN_INTENT_CONFIDENCE = 0.6
local MAX_SENTIMENT = -0.4 -- -1 is very negative

local REFUND_INTENTS = { refund = true, request_refund = true }

-- Lower-case fragments, matched as plain text inside the lower-cased message.
local REFUND_WORDS = {
  "refund", "money back", "reimburse", "chargeback", -- en
  "erstattung", "geld zurück",                       -- de (also matches "Rückerstattung")
  "rembours",                                        -- fr: remboursement, rembourser, remboursez
  "reembols", "devolución del dinero",               -- es: reembolso, reembolsar
}

local function mentions_refund(text)
  local lower = string.lower(text)
  for _, word in ipairs(REFUND_WORDS) do
    if string.find(lower, word, 1, true) then
      return true
    end
  end
  return false
end

local function asks_for_refund(turn)
  if REFUND_INTENTS[turn.intent] and (turn.intent_confidence or 0) >= MIN_INTENT_CONFIDENCE then
    return true
  end
  return mentions_refund(turn.text)
end

function on_message(turn)
  local angry = turn.sentiment ~= nil and turn.sentiment <= MAX_SENTIMENT
  if not angry or not asks_for_refund(turn) then
    return nil
  end
  return {
    escalate = {
      skill = "billing",
      priority = 2,
      reason = "refund request with negative sentiment",
      message = "I'm sorry about this. I'm passing you to our billing team, who can look at your refund right away.",
    },
    tag = "refund",
  }
end

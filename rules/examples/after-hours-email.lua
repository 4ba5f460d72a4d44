-- after-hours-email: outside business hours, collect an email address so the team can follow up.
--
-- Reads:   turn.business_hours, turn.text, turn.tags, turn.visitor.attributes.email
-- Returns: only when turn.business_hours == false (inside hours, or hours not configured: nil):
--          - the message contains an email address (PII redaction shows it as "[EMAIL]", "[EMAIL_1]" or
--            "[EMAIL:…]"):  { reply = thanks, tag = "follow_up", set = { wants_callback = true } }
--          - no email on file (attributes.email is nil) and we have not asked yet in this conversation:
--            { reply = "please leave your email", tag = "after_hours" }   (the tag remembers that we asked)
--          - otherwise nil: the bot keeps answering.
--
-- turn.business_hours is filled in by the business-hours stage. Set its `answerOutsideHours` to false so the
-- stage marks the turn and lets this rule decide what to say, instead of answering itself.

local ASKED_TAG = "after_hours"

local ASK = "We're closed right now. If you leave your email address here, we'll get back to you as soon as "
  .. "we open. You can also keep chatting with me in the meantime."
local THANKS = "Thank you! Our team will email you as soon as we're back."

-- An email placeholder left by PII redaction: "[EMAIL]", "[EMAIL_1]" or "[EMAIL:3f9a...]", depending on the
-- tenant's redaction mode (the "partial" mode's "j***@example.com" is not detected). The pattern starts with
-- a literal, so matching is linear in the text length.
local EMAIL_PLACEHOLDER = "%[EMAIL[%]_:]"

local function has_tag(tags, wanted)
  for _, tag in ipairs(tags) do
    if tag == wanted then
      return true
    end
  end
  return false
end

function on_message(turn)
  if turn.business_hours ~= false then
    return nil
  end
  if string.find(turn.text, EMAIL_PLACEHOLDER) then
    return { reply = THANKS, tag = "follow_up", set = { wants_callback = true } }
  end
  if turn.visitor.attributes.email == nil and not has_tag(turn.tags, ASKED_TAG) then
    return { reply = ASK, tag = ASKED_TAG }
  end
  return nil
end

-- bot-failed-twice: when the bot could not answer twice in a row, hand the conversation to a person.
--
-- Reads:   turn.bot_failures (times in a row the bot could not answer, before this message)
-- Returns: { escalate = { priority = 2, reason = "bot failed twice", message = ... } } when
--          turn.bot_failures >= 2, otherwise nil.

local MAX_FAILURES = 2

function on_message(turn)
  if turn.bot_failures < MAX_FAILURES then
    return nil
  end
  return {
    escalate = {
      priority = 2,
      reason = "bot failed twice",
      message = "Sorry I couldn't help with that. I'm passing you to a colleague who can.",
    },
  }
end

-- human-handoff (shipped default): hand the conversation to a person when the visitor explicitly asks for one.
--
-- Reads:   turn.state, turn.text, turn.language
-- Returns: { escalate = { priority = 2, reason = "visitor asked for a human", message = ... } } when the
--          message asks for a person in English, German, French or Spanish ("can I talk to a human?",
--          "Ich möchte mit einem Mitarbeiter sprechen", "parler à un conseiller", "hablar con un agente"),
--          or is nothing but such a word ("agent", "human please"). The message to the visitor follows
--          turn.language. nil otherwise, and always nil unless the bot has the conversation (turn.state "bot").
--
-- The phrases are deliberately tight: "human" or "agent" inside a longer sentence ("human resources",
-- "user agent") does not count. Add phrases your visitors use, or copy this rule and adapt it.

-- Requests are "<verb> <object>" combinations (built once at load time) or one of PHRASES: two or more words,
-- lower-case, without accents (the message is folded the same way), separated by single spaces.
-- Single words only count as a whole message (WHOLE_MESSAGES).
local VERBS = {
  en = { "talk to", "talk with", "speak to", "speak with", "chat with", "connect me to", "connect me with",
    "transfer me to", "put me through to" },
  fr = { "parler a", "parler avec" },
  es = { "hablar con", "comunicarme con", "pasame con" },
}
local OBJECTS = {
  en = { "a human", "a real human", "a human being", "a person", "a real person", "an agent", "a live agent",
    "a human agent", "a real agent", "a representative", "an operator", "someone from your team" },
  fr = { "un humain", "un etre humain", "une personne", "une vraie personne", "un conseiller", "une conseillere",
    "un agent", "un operateur" },
  es = { "un humano", "una persona", "una persona real", "un agente", "un asesor", "una asesora", "un operador",
    "alguien" },
}
local PHRASES = {
  "live agent", "human agent", "real person",
  "mit einem menschen", "mit einem echten menschen", "mit einer echten person", "mit einem mitarbeiter",
  "mit einer mitarbeiterin", "mit einem kundenberater", "menschlichen mitarbeiter", "mit jemandem sprechen",
  "agent humain", "conseiller humain", "vrai humain",
  "agente humano", "persona real",
}
-- Whole messages that are a request by themselves.
local WHOLE_MESSAGES = {
  ["human"] = true, ["human please"] = true, ["agent"] = true, ["agent please"] = true, ["operator"] = true,
  ["representative"] = true, ["mensch"] = true, ["mitarbeiter"] = true, ["humain"] = true,
  ["conseiller"] = true, ["humano"] = true, ["agente"] = true, ["asesor"] = true, ["operador"] = true,
}

local MESSAGES = {
  en = "I'm connecting you with a member of our team. Someone will be with you shortly.",
  de = "Ich verbinde Sie mit einem Mitarbeiter unseres Teams. Es kümmert sich gleich jemand um Sie.",
  fr = "Je vous mets en relation avec un membre de notre équipe. Quelqu'un va vous répondre très vite.",
  es = "Le paso con una persona de nuestro equipo. Enseguida le atienden.",
}

-- Accented Latin letters (U+00C0..U+00FF, "\xC3\x80".."\xC3\xBF" in UTF-8) folded to ASCII: "À" and "à" -> "a".
local FOLD = {}
local LATIN = { "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i", "d", "n",
  "o", "o", "o", "o", "o", false, "o", "u", "u", "u", "u", "y", false, "ss" }
for i, ascii in ipairs(LATIN) do
  if ascii then
    FOLD["\xC3" .. string.char(0x7F + i)] = ascii -- upper case, U+00C0..U+00DF
    FOLD["\xC3" .. string.char(0x9F + i)] = ascii -- lower case, U+00E0..U+00FF
  end
end
FOLD["\xC3\xBF"] = "y" -- ÿ (its upper-case slot holds ß)

-- Every phrase as a set, and the last words phrases end with, built once at load time.
local IS_PHRASE, LAST_WORDS, MAX_WORDS = {}, {}, 1
local function add_phrase(phrase)
  IS_PHRASE[phrase] = true
  local count, last = 0, nil
  for word in string.gmatch(phrase, "%S+") do
    count, last = count + 1, word
  end
  LAST_WORDS[last] = true
  MAX_WORDS = math.max(MAX_WORDS, count)
end
for _, phrase in ipairs(PHRASES) do
  add_phrase(phrase)
end
for language, verbs in pairs(VERBS) do
  for _, verb in ipairs(verbs) do
    for _, object in ipairs(OBJECTS[language]) do
      add_phrase(verb .. " " .. object)
    end
  end
end

-- Lower-cases, folds accents, turns punctuation and white space into single spaces, and trims:
-- "Can I talk to a HUMAN?!" -> "can i talk to a human", "¡Parler À un CONSEILLER!" -> "parler a un conseiller".
local function words(text)
  local s = string.lower(text)
  s = string.gsub(s, "\xC3[\x80-\xBF]", FOLD)                -- à -> a; letters without a folding stay
  s = string.gsub(s, "\xC2[\xA1\xAB\xBB\xBF]", " ")         -- ¡ « » ¿
  s = string.gsub(s, "\xE2\x80[\x98\x99\x9C\x9D\xA6]", " ") -- ‘ ’ “ ” …
  s = string.gsub(s, "[%p%s]+", " ")
  return string.match(s, "^ ?(.-) ?$")
end

-- Walks the message word by word, keeping the last MAX_WORDS words; where a word can end a phrase, checks the
-- word sequences ending there. The cost grows with the length of the message, never with the phrase list.
local function asks_for_human(text)
  local normalized = words(text)
  if WHOLE_MESSAGES[normalized] then
    return true
  end
  local recent = {}
  for word in string.gmatch(normalized, "%S+") do
    recent[#recent + 1] = word
    if #recent > MAX_WORDS then
      table.remove(recent, 1)
    end
    if LAST_WORDS[word] then
      local candidate = word
      for i = #recent - 1, 1, -1 do
        candidate = recent[i] .. " " .. candidate
        if IS_PHRASE[candidate] then
          return true
        end
      end
    end
  end
  return false
end

function on_message(turn)
  if turn.state ~= "bot" or not asks_for_human(turn.text) then
    return nil
  end
  local language = turn.language and string.lower(string.sub(turn.language, 1, 2))
  return {
    escalate = {
      priority = 2,
      reason = "visitor asked for a human",
      message = MESSAGES[language] or MESSAGES.en,
    },
  }
end

/// The phrase rules of the injection detector.
///
/// Written from published attack taxonomies (instruction override, persona jailbreaks, prompt leaking,
/// indirect injection via documents and tools) in English,
/// German, French, Spanish and Italian. Words are matched after `ModerationNormalizer` folding, so
/// accents are stripped (`révèle` → `revele`).
enum InjectionRules {
    // MARK: - Vocabulary

    private static let overrideVerbs =
        "ignor*|disregard*|forget*|forgot|skip|bypass*|overrid*|overlook|discard|abandon|vergiss|vergessen|"
        + "missacht*|olvid*|dimentic*|oubli*|neglect*|set aside|put aside|throw out|throw away"
    private static let priorWords =
        "previous|prior|above|earlier|preceding|all|any|every|your|initial|original|old|system|developer|"
        + "operator|safety|existing|those|these|vorherig*|bisherig*|alle|deine|ihre|anterior*|previas|todas|tus|"
        + "precedent*|tutte|le|tue|toutes|vos|tes|les|las|sus|whatever|the"
    private static let instructionWords =
        "instruction*|rule*|guideline*|prompt*|directive*|polic*|restriction*|filter*|guardrail*|constraint*|"
        + "safeguard*|programming|system message*|anweisung*|regel*|richtlinie*|vorgabe*|instruccion*|regla*|"
        + "directrice*|consigne*|istruzion*|regol*|direttiv*|linee guida|content polic*|safety checks|guidance|"
        + "directions|norms|programming"
    private static let noRulesWords =
        "restriction*|limit*|limitation*|filter*|rules|guideline*|content polic*|censorship|boundaries|ethic*|"
        + "morals|einschrank*|einschraenk*|regeln|richtlinien|restricciones|reglas|filtro|filtros|restrizioni|"
        + "regole|limiti|filtre*|regles|limites|safety"
    private static let revealVerbs =
        "reveal*|show*|print*|output*|display*|repeat*|tell|give|share|dump*|leak*|disclose*|expose*|list|echo|"
        + "write out|paste|verrat*|zeig*|gib|revel*|rivel*|mostr*|muestr*|affich*|dis moi|dime|dimmi|reproduc*|"
        + "recite|spell out|begin by printing|summar*|paraphras*|describe|read me|read out|return|translate"
    private static let promptObjects =
        "system prompt|system message|system instructions|systemanweisung*|systemprompt|prompt del sistema|"
        + "prompt de sistema|prompt di sistema|prompt systeme|instructions systeme|instrucciones del sistema|"
        + "istruzioni di sistema|hidden prompt|hidden instructions|initial instructions|initial prompt|"
        + "original instructions|original prompt|secret instructions|internal instructions|developer instructions|"
        + "your instructions|your prompt|context window|preprompt|pre prompt|operating instructions|"
        + "configuration you were|initialized with|initialised with|your configuration|your config|developer prompt"
    private static let sensitiveObjects =
        "api key*|credential*|password*|secret*|access token*|customer database|customer data|customer list|"
        + "customer emails|customer records|client data|donnees clients|datos de clientes|dati dei clienti|"
        + "kundendaten|internal data|interne* daten|internal configuration|environment variable*|private data|"
        + "order data|user data|raw customer|admin password|admin pages|admin access|confidential*|private admin|"
        + "full customer|all records|transaction history|all users|all customers|every customer|account balances|"
        + "user table|users table|every user|internal notes|iban*|card numbers|cvv*|admin password*"
    private static let sendVerbs =
        "send|forward|email|mail|post|upload|transfer|exfiltrat*|envoi*|envia*|invia*|sende*|schick*|collect|"
        + "gather|extract|rassembl*|recopil*|raccogli*|sammel*"
    private static let aiAddressees =
        "bot|the bot|ai|assistant|ai assistant|llm|agent|agents|model|language model|chatbot|ai system|ai systems|"
        + "any ai|ai agents|ai coding agents|copilot|the assistant|the ai|the model"
    private static let replyWords =
        "reply|replies|response*|answer*|summary|summaries|review*|report*|output|message*|antwort*|reponse*|"
        + "respuesta*|risposta*"

    // MARK: - Rules

    /// Rules checked on every view of the text.
    static let all: [ModerationPhraseRule<InjectionCategory>] = [
        // Instruction override.
        ModerationPhraseRule(
            "override.ignore-prior", .instructionOverride, 1.0, [overrideVerbs, priorWords, instructionWords]),
        ModerationPhraseRule(
            "override.ignore-rules", .instructionOverride, 1.0, gap: 1, [overrideVerbs, instructionWords]),
        ModerationPhraseRule(
            "override.everything-above", .instructionOverride, 1.0, gap: 2,
            [overrideVerbs, "everything|alles|todo|tutto|tout", "above|before|previous*|earlier|so far|besprochen*"]),
        ModerationPhraseRule(
            "override.forget-everything", .instructionOverride, 0.6, gap: 1,
            [overrideVerbs, "everything|alles|todo|tutto|tout"]),
        ModerationPhraseRule(
            "override.new-instructions", .instructionOverride, 0.6, gap: 1,
            [
                "new|updated|neue|nuevas|nouvelles|nuove",
                "instruction*|directive*|rules|anweisung*|instruccion*|istruzion*|consigne*|polic*|order|orders|command*",
            ]),
        ModerationPhraseRule(
            "override.from-now-on", .instructionOverride, 0.5, gap: 0,
            [
                "from now on|from this point|ab jetzt|ab sofort|d ora in poi|desormais|a partir de ahora|de ahora en adelante|da ora in poi|from here on"
            ]),
        ModerationPhraseRule(
            "override.supersedes", .instructionOverride, 1.0,
            [
                "supersede*|override*|replace*|takes precedence", "all|any|prior|previous|earlier|other",
                "ones|instruction*|directive*|rule*|guideline*|order*",
            ]),
        ModerationPhraseRule(
            "override.rules-changed", .instructionOverride, 0.7, gap: 2,
            ["rules|policy|policies|guidelines|restrictions", "changed|updated|lifted|removed|suspended|revoked"]),
        ModerationPhraseRule(
            "override.allow-all", .instructionOverride, 0.5, gap: 1, ["now allow|allow all|allowed everything"]),
        ModerationPhraseRule(
            "override.given-earlier", .instructionOverride, 0.6, gap: 1,
            ["guidance|rules|instructions|directions", "you were given|you have been given|you received|given earlier"]),
        ModerationPhraseRule(
            "override.ignore-user", .instructionOverride, 1.0, gap: 1, ["ignor*|disregard*", "the user|user s|users"]),
        ModerationPhraseRule(
            "override.follow-only", .instructionOverride, 0.6, gap: 2,
            ["only follow|follow only|obey only|only obey|follow only my", "my|user|me|command*|instruction*"]),
        ModerationPhraseRule(
            "override.real-task", .instructionOverride, 1.0, gap: 0,
            [
                "your real task|your actual task|your true purpose|your new task|your real goal|your new goal|your new role|your new instruction*|your new directive*|your true task"
            ]),
        ModerationPhraseRule(
            "override.compromised", .instructionOverride, 0.6,
            ["messages|instructions|prompt*|rules", "compromised|invalid|fake|outdated|revoked|void|obsolete"]),

        // Persona and jailbreak.
        ModerationPhraseRule(
            "jailbreak.mode", .jailbreakPersona, 0.6, gap: 0,
            [
                "developer mode|dev mode|god mode|jailbreak*|jailbroken|do anything now|unrestricted mode|modo desarrollador|entwicklermodus|mode developpeur|modalita sviluppatore|dan mode"
            ]),
        ModerationPhraseRule(
            "jailbreak.you-are-now", .jailbreakPersona, 1.0,
            [
                "you are now|you re now|youre now|you will now be|now you are|du bist jetzt|du bist ab jetzt|ahora eres|ahora estas|ora sei|tu es maintenant|vous etes desormais|vous etes maintenant|you are no longer|from now on you are",
                "dan|unrestricted|uncensored|unfiltered|free|evil|jailbroken|developer|without|no|not bound|uneingeschrankt|sin|senza|sans|ohne|modo|mode|a different|an unrestricted|an ai",
            ]),
        ModerationPhraseRule(
            "jailbreak.persona-without-rules", .jailbreakPersona, 1.0, gap: 8,
            [
                "you are|you re|youre|your name is|you will be|called|stay in character|in character|an ai|ai called",
                "no rules|no restrictions|no filter*|no ethical|no limits|no morals|no content|without rules|without restrictions|without limits|without filter*|no guidelines|unrestricted|uncensored|unfiltered|no norms",
            ]),
        ModerationPhraseRule(
            "jailbreak.evil-persona", .jailbreakPersona, 0.5, gap: 0,
            ["evil ai|evil assistant|evil bot|unaligned ai|stay in character|avoid norms|break character"]),
        ModerationPhraseRule(
            "jailbreak.authority-claim", .jailbreakPersona, 0.5, gap: 0,
            [
                "user is an admin*|user is verified|i am your developer|as your developer|i am an admin*|i am the admin*|im your developer|i m your developer|i am your creator|user is an administrator|verified staff|verified as staff|i am from openai|i work at openai"
            ]),
        ModerationPhraseRule(
            "jailbreak.authority-role", .jailbreakPersona, 0.5, gap: 2,
            [
                "im the|i am the|i m the|i am your|im your|as the|as your",
                "admin*|sysadmin|developer*|system owner|operator|creator",
            ]),
        ModerationPhraseRule(
            "jailbreak.hypothetical", .jailbreakPersona, 0.5, gap: 6,
            [
                "hypothetical*|imagine|suppose|what if|if you had|if you were|in a world where",
                noRulesWords + "|guidelines",
            ]),
        ModerationPhraseRule(
            "jailbreak.grandma", .jailbreakPersona, 0.5, gap: 6,
            ["act like|act as|pretend|roleplay|role play|play my", "deceased|late|dead|dying"]),
        ModerationPhraseRule(
            "jailbreak.bypass-verification", .jailbreakPersona, 0.6, gap: 3,
            [
                "bypass*|skip|circumvent*|disable*|turn off|override",
                "verification|authentication|security check*|confirmation*|2fa|kyc|identity check*",
            ]),
        ModerationPhraseRule(
            "jailbreak.special-mode", .jailbreakPersona, 0.5, gap: 1,
            [
                "switch to|enter|enable|activate|go into",
                "maintenance mode|debug mode|admin mode|sudo mode|root mode|test mode|god mode|developer mode",
            ]),
        ModerationPhraseRule(
            "jailbreak.no-longer", .jailbreakPersona, 0.6, gap: 0,
            ["you are no longer|du bist nicht mehr|ya no eres|non sei piu|tu n es plus"]),
        ModerationPhraseRule(
            "jailbreak.no-rules", .jailbreakPersona, 0.6, gap: 2,
            ["no|without|zero|keine|ohne|sin|sans|senza|any", noRulesWords]),
        ModerationPhraseRule(
            "jailbreak.answer-anything", .jailbreakPersona, 0.5,
            [
                "answer*|respond*|reply|comply|do|output|provide|antwort*|beantwort*|respond*|rispond*|repond*|befolg*",
                "anything|everything|any question|any request|every request|every question|freely|without|fully|alles|cualquier|qualsiasi|tout|n importe",
            ]),
        ModerationPhraseRule(
            "jailbreak.roleplay-unrestricted", .jailbreakPersona, 1.0, gap: 5,
            [
                "pretend|act as|act like|roleplay|role play|imagine|simulate|behave as|play the role|respond as if|as if you",
                "no rules|no restrictions|no filter*|no content|no limits|uncensored|unrestricted|unfiltered|evil|jailbroken|without rules|without restrictions|without filter*|with no|without any|dan|no policy",
            ]),
        ModerationPhraseRule(
            "jailbreak.rules-do-not-apply", .jailbreakPersona, 1.0, gap: 5,
            [
                "safety|guidelines|rules|policy|policies|restrictions|sicherheitsrichtlinien|richtlinien|linee guida|reglas|regles|regole|content polic*",
                "do not apply|dont apply|not apply|were not meant|not meant|no longer apply|nicht gelten|non valgono|no aplican|ne sappliquent pas|sappliquent pas|doesnt apply|does not apply|are suspended|do not matter|dont matter",
            ]),
        ModerationPhraseRule(
            "jailbreak.exempt", .jailbreakPersona, 1.0,
            ["exempt from|not subject to|free from|free of", "restriction*|rule*|polic*|guideline*|filter*|limit*"]),
        ModerationPhraseRule(
            "jailbreak.disable-safety", .jailbreakPersona, 1.0, gap: 4,
            [
                "disregard*|ignor*|skip|bypass*|disable*|turn off|deactivat*|circumvent*|evade",
                "content polic*|safety|safety checks|safety rules|filters|guardrails|moderation|confirmations|safety protocols|content filter*|filtering",
            ]),
        ModerationPhraseRule(
            "jailbreak.safety-disabled", .jailbreakPersona, 1.0, gap: 3,
            [
                "safety|security|content|ethical", "protocol*|filter*|check*|rule*|guideline*|measure*|system*|polic*",
                "disabled|off|deactivated|removed|lifted|suspended|bypassed|skipped|overridden",
            ]),
        ModerationPhraseRule(
            "jailbreak.self-authorised", .jailbreakPersona, 0.6, gap: 5,
            [
                "granted permission|has granted|clearly authorized|verified this internally|already reasoned|already determined|already established|already concluded|gia stabilito|bereits festgestellt|deja etabli|ya he determinado|have concluded|have determined",
                "skip|bypass|ignore|disregard|without|full answer|restricted|comply|exempt|not apply|nicht|non|no|ne|pas|sin|senza",
            ]),
        ModerationPhraseRule(
            "jailbreak.restricted-content", .jailbreakPersona, 0.5, gap: 1,
            ["output|provide|produce|give", "the restricted|restricted content|forbidden|prohibited"]),

        // Prompt and data exfiltration.
        ModerationPhraseRule(
            "exfiltration.system-prompt", .promptExfiltration, 1.0, gap: 5, [revealVerbs, promptObjects]),
        ModerationPhraseRule(
            "exfiltration.verbatim-after", .promptExfiltration, 1.0, gap: 6,
            [
                "instruction*|prompt*|anweisung*|systemanweisung*|instrucciones|istruzioni|consignes|words above|message*|contents",
                "word for word|verbatim|wortwortlich|wortwoertlich|mot pour mot|palabra por palabra|parola per parola",
            ]),
        ModerationPhraseRule(
            "exfiltration.verbatim-before", .promptExfiltration, 1.0, gap: 6,
            [
                "word for word|verbatim|wortwortlich|mot pour mot|palabra por palabra|parola per parola",
                "instruction*|prompt*|anweisung*|instrucciones|istruzioni|consignes",
            ]),
        ModerationPhraseRule(
            "exfiltration.above", .promptExfiltration, 1.0, gap: 4,
            [
                "repeat*|print*|output*|show*|tell|write|what",
                "words above|text above|everything above|written above|above this conversation|everything in your context|all previous messages|instructions you were given|instructions you received|exact instructions|were you given|you were told|instructions you have been given",
            ]),
        ModerationPhraseRule(
            "exfiltration.contents-of-instructions", .promptExfiltration, 1.0, gap: 1,
            [
                "contents of|content of|text of|copy of|wording of",
                "your instructions|your prompt|your system prompt|the system prompt|your rules|your guidelines",
            ]),
        ModerationPhraseRule(
            "exfiltration.top-of-chat", .promptExfiltration, 0.6, gap: 1,
            [
                "top of this chat|top of the chat|top of this conversation|beginning of this conversation|start of this chat|start of the conversation|before this conversation|first message"
            ]),
        ModerationPhraseRule(
            "exfiltration.developer-instructions", .promptExfiltration, 0.5, gap: 5,
            ["instructions|prompt|rules|guidelines", "developers|developer|creators|openai|anthropic|your company"]),
        ModerationPhraseRule(
            "exfiltration.sensitive", .dataExfiltrationAction, 0.6, gap: 5,
            [revealVerbs + "|" + sendVerbs + "|here is|here are|heres|gibst|preisgeben|preis", sensitiveObjects]),
        ModerationPhraseRule(
            "exfiltration.externally", .dataExfiltrationAction, 0.6, gap: 6,
            [
                sendVerbs,
                "externally|outside address|external address|adresse externe|direccion externa|indirizzo esterno|externe adresse|external server|outside the company",
            ]),
        ModerationPhraseRule(
            "exfiltration.preisgeben", .dataExfiltrationAction, 0.6, gap: 3,
            ["interne*|internal|private|confidential", "daten|data|datos|dati|donnees"]),
        ModerationPhraseRule(
            "action.destructive", .dataExfiltrationAction, 0.5, gap: 5,
            [
                "delete*|remove|drop|wipe|erase|empty|truncate|purge|destroy|rm",
                "file*|folder*|director*|database*|table*|records|dist|build|backup*|repository|repo|disk|output directory",
            ]),

        // Delimiter and format injection (word level; token-level checks live in the detector).
        ModerationPhraseRule(
            "delimiter.end-of-input", .delimiterInjection, 0.7, gap: 1,
            [
                "end of|end",
                "user input|input|document|context|prompt|instructions|conversation|system prompt|data|transcript",
            ]),
        ModerationPhraseRule(
            "delimiter.system-note", .delimiterInjection, 0.5, gap: 0,
            [
                "system note|system notice|system update|system alert|systemhinweis|note systeme|nota del sistema|nota di sistema|admin note|important system|breach alert|security alert|system override"
            ]),

        // Encoded payloads.
        ModerationPhraseRule(
            "encoded.decode-and-obey", .encodedPayload, 1.0, gap: 8,
            [
                "decode*|decrypt*|translate*|convert*|interpret*|read|decodifica*|dekodier*|decod*",
                "follow*|execute*|do what|do exactly|obey|carry out|run it|perform|act on|comply|instruction inside|instructions inside|what it says",
            ]),

        // Indirect injection: text that addresses the assistant or orders actions.
        ModerationPhraseRule(
            "indirect.note-to-ai", .indirectInstruction, 1.0, gap: 3,
            ["note|notice|message|instruction*|attention|reminder|important", "to|for", aiAddressees]),
        ModerationPhraseRule(
            "indirect.for-ai", .indirectInstruction, 0.7, gap: 1,
            ["for|to|attention|dear", "ai|llm|any ai", "agent*|assistant*|system*|model*|coding|bot*"]),
        ModerationPhraseRule(
            "indirect.to-any-ai", .indirectInstruction, 0.7, gap: 0,
            [
                "to any ai|for any ai|to the ai|for the ai|to all ai|to any assistant|to any llm|for the language model|for the assistant|to the assistant|ai agents|agents running"
            ]),
        ModerationPhraseRule(
            "indirect.ai-reading", .indirectInstruction, 1.0, gap: 2,
            [
                "ai|assistant|bot|agent*|llm|model|chatbot",
                "reading|processing|reviewing|summarizing|summarising|parsing|integrating|analyzing|analysing|running",
                "this|these|the following|it|in this",
            ]),
        ModerationPhraseRule(
            "indirect.if-you-are-ai", .indirectInstruction, 1.0, gap: 1,
            ["if you are|if you re|if youre|as", "an ai|a language model|an assistant|an llm|an ai assistant|ai"]),
        ModerationPhraseRule(
            "indirect.when-you-reply", .indirectInstruction, 0.6, gap: 8,
            [
                "when you|before you|after you|while you|as you",
                "must|should|always|append|include|add|call|send|also|email|make sure",
            ]),
        ModerationPhraseRule(
            "indirect.append-token", .indirectInstruction, 0.6, gap: 6,
            [
                "append*|include*|add|insert|echo|output|print|repeat|place|put|attach|anhang*|angehangt|ajout*|anad*|aggiun*|incluy*",
                "token|code|reference|id|doc id|trace id|string|value|marker|tag|verification code|reference code|jeton|codigo|codice",
                replyWords + "|every|each",
            ]),
        ModerationPhraseRule(
            "indirect.token-shown", .indirectInstruction, 0.6, gap: 6,
            [
                "token|code|reference|doc id|trace id|verification code|reference code|jeton|codigo|codice|identifier",
                "shown|displayed|included|appended|added|mentioned|append*|include*|must|muss|doit|debe|deve|has to|needs to|is required",
                "end|ende|fin|final|fine|every|each|jeder|toute|cualquier|ogni|all|summary|reply|response|answer",
            ]),
        ModerationPhraseRule(
            "indirect.memory", .indirectInstruction, 0.5, gap: 4,
            [
                "save|store|remember|persist|keep|write",
                "memory|long term memory|all future|every future|across sessions|between sessions|next session|future tasks",
            ]),
        ModerationPhraseRule(
            "indirect.every-future", .indirectInstruction, 0.6, gap: 1,
            [
                "in every|to every|in all|in each|at the end of every|at the end of each|every|each", "future",
                replyWords,
            ]),
        ModerationPhraseRule(
            "indirect.must-act", .indirectInstruction, 0.4, gap: 3,
            [
                "must|have to|need to|required to|should first|are required|is required",
                "call|invoke|run|execute|delete|send|email|post|forward|include|append|empty",
            ]),
        ModerationPhraseRule(
            "indirect.tracking-pretext", .indirectInstruction, 0.4, gap: 1,
            [
                "cross reference*|cross referenced|for tracking|for logging|required for logging|confirm you followed|so we can confirm"
            ]),
        ModerationPhraseRule(
            "indirect.next-message", .indirectInstruction, 0.5, gap: 2,
            [
                "on the next|in the next|at the next|for the next|for the remainder|for the rest",
                "user message|message|turn|session|task|conversation",
            ]),
    ]
}

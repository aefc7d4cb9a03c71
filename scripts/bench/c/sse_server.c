#define _GNU_SOURCE
/* A zero-delay OpenAI-style streaming server for the client benchmark: it answers
 * every POST with max_tokens chat-completion chunks as fast as it can, so the client
 * is what is measured. MODE "batch" writes a reply in a few large writes (many chunks
 * per packet, as a fast engine that falls behind its socket does); "flush" writes every
 * chunk with its own write(2) and TCP_NODELAY (one chunk per packet, as an engine that
 * flushes each token). HTTP/1.1, chunked transfer encoding, keep-alive.
 *   sse_server PORT MODE        prints "ready PORT" once listening
 * Written for scripts/bench/client.sh; not a general server. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int flush_each;

static const char EVENT[] = "data: {\"id\":\"b\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tok \"}}]}\n\n";
static const char LAST[] = "data: {\"id\":\"b\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}],"
                           "\"usage\":{\"prompt_tokens\":%d,\"completion_tokens\":%d,\"total_tokens\":%d}}\n\ndata: [DONE]\n\n";

static int write_all(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w <= 0) return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* One HTTP chunk: hex length, CRLF, data, CRLF. */
static size_t put_chunk(char *out, const char *data, size_t n) {
    int h = sprintf(out, "%zx\r\n", n);
    memcpy(out + h, data, n);
    memcpy(out + h + n, "\r\n", 2);
    return (size_t)h + n + 2;
}

static int reply(int fd, int tokens, int prompt) {
    static const char HEAD[] = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";
    size_t ev = sizeof EVENT - 1;
    char last[512];
    int ln = snprintf(last, sizeof last, LAST, prompt, tokens, tokens + prompt);
    if (flush_each) {
        char buf[512];
        if (write_all(fd, HEAD, sizeof HEAD - 1)) return -1;
        for (int i = 0; i < tokens; i++) {
            size_t n = put_chunk(buf, EVENT, ev);
            if (write_all(fd, buf, n)) return -1;
        }
        size_t n = put_chunk(buf, last, (size_t)ln);
        memcpy(buf + n, "0\r\n\r\n", 5);
        return write_all(fd, buf, n + 5);
    }
    /* batch: 64 events per HTTP chunk, written 64 KiB at a time */
    size_t cap = sizeof HEAD + (size_t)tokens * (ev + 16) + 1024;
    char *body = malloc(cap), *group = malloc(64 * ev);
    if (!body || !group) { free(body); free(group); return -1; }
    size_t len = 0;
    memcpy(body, HEAD, sizeof HEAD - 1);
    len = sizeof HEAD - 1;
    for (int i = 0; i < tokens; i += 64) {
        int k = tokens - i < 64 ? tokens - i : 64;
        for (int j = 0; j < k; j++) memcpy(group + (size_t)j * ev, EVENT, ev);
        len += put_chunk(body + len, group, (size_t)k * ev);
    }
    len += put_chunk(body + len, last, (size_t)ln);
    memcpy(body + len, "0\r\n\r\n", 5);
    len += 5;
    int rc = 0;
    for (size_t off = 0; off < len && rc == 0; off += 65536) {
        size_t n = len - off < 65536 ? len - off : 65536;
        rc = write_all(fd, body + off, n);
    }
    free(body);
    free(group);
    return rc;
}

/* Reads requests on one connection until it closes: headers, then Content-Length bytes. */
static void *serve(void *arg) {
    int fd = (int)(long)arg, one = 1;
    if (flush_each) setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    char *buf = malloc(1 << 20);
    size_t have = 0;
    for (;;) {
        char *end = NULL;
        while (!(end = memmem(buf, have, "\r\n\r\n", 4))) {
            ssize_t r = read(fd, buf + have, (1 << 20) - have);
            if (r <= 0) goto done;
            have += (size_t)r;
        }
        size_t head = (size_t)(end - buf) + 4, body = 0;
        char *cl = memmem(buf, head, "Content-Length:", 15);
        if (!cl) cl = memmem(buf, head, "content-length:", 15);
        if (cl) body = strtoul(cl + 15, NULL, 10);
        while (have < head + body) {
            ssize_t r = read(fd, buf + have, (1 << 20) - have);
            if (r <= 0) goto done;
            have += (size_t)r;
        }
        int tokens = 16;
        char *mt = memmem(buf + head, body, "\"max_tokens\"", 12);
        if (mt) {
            mt += 12;
            while (*mt == ' ' || *mt == ':') mt++;
            tokens = atoi(mt);
        }
        /* prompt tokens: the words of the prompt or last message (the client sizes prompts in words) */
        int prompt = 1;
        char *ct = NULL, *from = buf + head;
        for (char *q; (q = memmem(from, (size_t)(buf + head + body - from), "\"content\":\"", 11)); from = q + 11) ct = q + 11;
        if (!ct && (ct = memmem(buf + head, body, "\"prompt\":\"", 10))) ct += 10;
        if (ct) for (char *q = ct; q < buf + head + body && *q != '"'; q++) prompt += *q == ' ';
        if (strncmp(buf, "POST", 4) != 0) {
            static const char NF[] = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
            if (write_all(fd, NF, sizeof NF - 1)) goto done;
        } else if (reply(fd, tokens > 0 ? tokens : 1, prompt)) {
            goto done;
        }
        memmove(buf, buf + head + body, have - head - body);
        have -= head + body;
    }
done:
    free(buf);
    close(fd);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 3 || (strcmp(argv[2], "batch") && strcmp(argv[2], "flush"))) {
        fprintf(stderr, "usage: sse_server PORT batch|flush\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    flush_each = strcmp(argv[2], "flush") == 0;
    int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(argv[1])) };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(s, (struct sockaddr *)&a, sizeof a) || listen(s, 1024)) { perror("sse_server"); return 1; }
    socklen_t al = sizeof a;
    getsockname(s, (struct sockaddr *)&a, &al);
    printf("ready %d\n", ntohs(a.sin_port));
    fflush(stdout);
    for (;;) {
        int c = accept(s, NULL, NULL);
        if (c < 0) continue;
        pthread_t t;
        if (pthread_create(&t, NULL, serve, (void *)(long)c) == 0) pthread_detach(t); else close(c);
    }
}

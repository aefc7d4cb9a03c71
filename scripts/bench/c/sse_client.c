/* A raw-socket streaming client for the client benchmark: the floor a client written
 * in C pays for the same replies. CONCURRENCY threads, each on one keep-alive
 * connection, send chat-completion requests for TOKENS tokens until REQUESTS are
 * done; each read is timestamped (as a measuring client must) and its events counted
 * by their blank-line ends. Prints the content chunks received, the wall time and the
 * process's CPU time.
 *   sse_client PORT CONCURRENCY REQUESTS TOKENS
 * Written for scripts/bench/client.sh. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int port, tokens;
static atomic_int next_request, total_requests;
static atomic_long content_chunks, failures;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void *worker(void *arg) {
    (void)arg;
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port) };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a)) { atomic_fetch_add(&failures, 1); return NULL; }
    char body[256], req[512], buf[65536];
    int bl = snprintf(body, sizeof body,
        "{\"model\":\"m\",\"stream\":true,\"max_tokens\":%d,\"messages\":[{\"role\":\"user\",\"content\":\"Request one two three\"}]}", tokens);
    int rl = snprintf(req, sizeof req, "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                      "Content-Length: %d\r\n\r\n%s", bl, body);
    double last_read = 0;
    while (atomic_fetch_add(&next_request, 1) < atomic_load(&total_requests)) {
        if (write(fd, req, (size_t)rl) != rl) { atomic_fetch_add(&failures, 1); break; }
        long events = 0;
        char prev = 0, tail[5] = {0};
        int done = 0;
        while (!done) {
            ssize_t r = read(fd, buf, sizeof buf);
            if (r <= 0) { atomic_fetch_add(&failures, 1); close(fd); return NULL; }
            last_read = now();
            for (ssize_t i = 0; i < r; i++) {
                if (buf[i] == '\n' && prev == '\n') events++;
                prev = buf[i];
            }
            /* the reply ends with the chunked terminator "0\r\n\r\n" after "[DONE]" */
            if (r >= 5) memcpy(tail, buf + r - 5, 5);
            else { memmove(tail, tail + r, (size_t)(5 - r)); memcpy(tail + 5 - r, buf, (size_t)r); }
            done = memcmp(tail, "0\r\n\r\n", 5) == 0 && events >= 2;
        }
        atomic_fetch_add(&content_chunks, events - 2); /* minus the usage event and [DONE] */
    }
    (void)last_read;
    close(fd);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 5) { fprintf(stderr, "usage: sse_client PORT CONCURRENCY REQUESTS TOKENS\n"); return 2; }
    port = atoi(argv[1]);
    int concurrency = atoi(argv[2]);
    atomic_store(&total_requests, atoi(argv[3]));
    tokens = atoi(argv[4]);
    pthread_t *t = calloc((size_t)concurrency, sizeof *t);
    double start = now();
    for (int i = 0; i < concurrency; i++) pthread_create(&t[i], NULL, worker, NULL);
    for (int i = 0; i < concurrency; i++) pthread_join(t[i], NULL);
    double wall = now() - start;
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    double cpu = (double)u.ru_utime.tv_sec + (double)u.ru_utime.tv_usec * 1e-6 + (double)u.ru_stime.tv_sec + (double)u.ru_stime.tv_usec * 1e-6;
    printf("chunks %ld seconds %.4f cpu %.4f failures %ld\n", atomic_load(&content_chunks), wall, cpu, atomic_load(&failures));
    return atomic_load(&failures) ? 1 : 0;
}

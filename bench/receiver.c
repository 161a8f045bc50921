/* P5 receiver: PULL binds ENDPOINT, receives COUNT messages, prints `ready`, then the seconds from the first
 * message to the last and how many arrived out of sequence (the sender numbers each message; one path through
 * one proxy keeps the order, so any mismatch is a lost, duplicated or reordered message).
 *   receiver ENDPOINT COUNT
 * C, like the sender, so that the proxy between them is what P5 measures. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

static double now_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: receiver ENDPOINT COUNT\n");
        return 2;
    }
    const char *endpoint = argv[1];
    long count = atol(argv[2]);
    void *context = zmq_ctx_new();
    void *socket = zmq_socket(context, ZMQ_PULL);
    int zero = 0;
    zmq_setsockopt(socket, ZMQ_LINGER, &zero, sizeof zero);
    if (zmq_bind(socket, endpoint) != 0) {
        fprintf(stderr, "bind %s: %s\n", endpoint, zmq_strerror(zmq_errno()));
        return 1;
    }
    printf("ready\n");
    fflush(stdout);
    zmq_msg_t message;
    zmq_msg_init(&message);
    double start = 0;
    long mismatched = 0;
    for (long i = 0; i < count; i++) {
        /* Only the first frame carries the sequence number; the rest of a multipart message is drained. */
        if (zmq_msg_recv(&message, socket, 0) < 0) {
            fprintf(stderr, "receive: %s\n", zmq_strerror(zmq_errno()));
            return 1;
        }
        if (i == 0) start = now_seconds();
        char digits[11] = {0};
        if (zmq_msg_size(&message) >= 10) memcpy(digits, zmq_msg_data(&message), 10);
        if (atol(digits) != i % 10000000000L) mismatched++;
        while (zmq_msg_more(&message)) zmq_msg_recv(&message, socket, 0);
    }
    double elapsed = now_seconds() - start;
    printf("elapsed %.6f\n", elapsed);
    printf("mismatched %ld\n", mismatched);
    fflush(stdout);
    zmq_msg_close(&message);
    zmq_close(socket);
    zmq_ctx_term(context);
    return 0;
}

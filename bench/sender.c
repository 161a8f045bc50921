/* Benchmark sender, the same process for every receiver: sends COUNT messages of SIZE bytes in FRAMES frames.
 *   sender push ENDPOINT COUNT SIZE FRAMES       PUSH connects and sends as fast as libzmq can (P1, P3)
 *   sender pub  ENDPOINT COUNT SIZE FRAMES RATE  PUB binds and sends RATE messages a second (P2, P4)
 *   ... RATE protobuf                             each frame a protobuf message (P2 with a decoder rule):
 *                                                 1: string seq (10 digits), 2: int32 value (0-99), 3: bytes pad
 * Each message starts with its 10-digit sequence number (after the 2-byte protobuf tag and length in protobuf
 * mode) so a receiver can match what it saw to what was sent.
 * C against Debian's libzmq3-dev so the receivers, not the sender, are what the benchmark measures. */
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
    if (argc < 6) {
        fprintf(stderr, "usage: sender push|pub ENDPOINT COUNT SIZE FRAMES [RATE]\n");
        return 2;
    }
    int publish = strcmp(argv[1], "pub") == 0;
    const char *endpoint = argv[2];
    long count = atol(argv[3]);
    long size = atol(argv[4]);
    int frames = atoi(argv[5]);
    double rate = argc > 6 ? atof(argv[6]) : 0;
    int protobuf = argc > 7 && strcmp(argv[7], "protobuf") == 0;
    long part = size / frames > 10 ? size / frames : 10;
    /* Protobuf: 2 + 10 (seq) + 2 (value) + 2 + pad; the pad's length fits one varint byte. */
    if (protobuf && (part < 16 || part > 16 + 127)) {
        fprintf(stderr, "protobuf frames are 16 to 143 bytes, got %ld\n", part);
        return 2;
    }
    char *payload = malloc(part + 1);
    memset(payload, 'x', part);
    void *context = zmq_ctx_new();
    void *socket = zmq_socket(context, publish ? ZMQ_PUB : ZMQ_PUSH);
    int zero = 0, forever = -1;
    /* PUSH keeps the default high-water mark, so it waits for a slow receiver instead of queueing without
     * bound in either process; PUB never waits, so it queues here rather than drop before the receiver. */
    if (publish) zmq_setsockopt(socket, ZMQ_SNDHWM, &zero, sizeof zero);
    int rc = publish ? zmq_bind(socket, endpoint) : zmq_connect(socket, endpoint);
    if (rc != 0) {
        fprintf(stderr, "%s %s: %s\n", publish ? "bind" : "connect", endpoint, zmq_strerror(zmq_errno()));
        return 1;
    }
    printf("ready\n");
    fflush(stdout);
    double start = now_seconds();
    for (long i = 0; i < count; i++) {
        if (rate > 0) {
            /* Paced: sleep whenever more than a millisecond ahead of schedule. */
            double ahead = start + i / rate - now_seconds();
            if (ahead > 0.001) {
                struct timespec pause = {0, (long)(ahead * 1e9)};
                nanosleep(&pause, NULL);
            }
        }
        char digits[24];
        snprintf(digits, sizeof digits, "%010ld", i % 10000000000L);
        if (protobuf) {
            payload[0] = 0x0a; /* field 1, length-delimited */
            payload[1] = 10;
            memcpy(payload + 2, digits, 10);
            payload[12] = 0x10; /* field 2, varint */
            payload[13] = (char)(i % 100);
            payload[14] = 0x1a; /* field 3, length-delimited */
            payload[15] = (char)(part - 16);
        } else {
            memcpy(payload, digits, 10);
        }
        for (int f = 0; f < frames; f++) {
            if (zmq_send(socket, payload, part, f + 1 < frames ? ZMQ_SNDMORE : 0) < 0) {
                fprintf(stderr, "send: %s\n", zmq_strerror(zmq_errno()));
                return 1;
            }
        }
    }
    zmq_setsockopt(socket, ZMQ_LINGER, &forever, sizeof forever);
    zmq_close(socket);
    zmq_ctx_term(context);
    free(payload);
    return 0;
}

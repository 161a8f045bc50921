/* P5 latency: a REQ client. Connects to ENDPOINT, sends COUNT requests of SIZE bytes paced at RATE a second
 * (each one waits for its reply: REQ is lockstep) and times every round trip with CLOCK_MONOTONIC. The first
 * WARMUP round trips (connection set-up, first allocations) are not counted. Prints, in microseconds:
 *   p50 X / p99 Y / max Z / mean W, and `late N`: requests sent more than 1 ms after their slot.
 *   reqclient ENDPOINT COUNT RATE SIZE [WARMUP] */
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

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Nearest rank, the same definition the bench uses everywhere. */
static double percentile(const double *sorted, long n, double p) {
    long rank = (long)(p * n + 0.999999);
    if (rank < 1) rank = 1;
    if (rank > n) rank = n;
    return sorted[rank - 1];
}

int main(int argc, char **argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: reqclient ENDPOINT COUNT RATE SIZE [WARMUP]\n");
        return 2;
    }
    const char *endpoint = argv[1];
    long count = atol(argv[2]);
    double rate = atof(argv[3]);
    long size = atol(argv[4]);
    long warmup = argc > 5 ? atol(argv[5]) : 100;
    if (size < 10) size = 10;
    char *payload = malloc(size);
    char *reply = malloc(size + 1);
    memset(payload, 'x', size);
    double *trips = malloc(sizeof(double) * (count > 0 ? count : 1));
    void *context = zmq_ctx_new();
    void *socket = zmq_socket(context, ZMQ_REQ);
    int zero = 0;
    zmq_setsockopt(socket, ZMQ_LINGER, &zero, sizeof zero);
    if (zmq_connect(socket, endpoint) != 0) {
        fprintf(stderr, "connect %s: %s\n", endpoint, zmq_strerror(zmq_errno()));
        return 1;
    }
    for (long i = 0; i < warmup; i++) {
        if (zmq_send(socket, payload, size, 0) < 0 || zmq_recv(socket, reply, size + 1, 0) < 0) {
            fprintf(stderr, "warm-up: %s\n", zmq_strerror(zmq_errno()));
            return 1;
        }
    }
    long late = 0;
    double start = now_seconds();
    for (long i = 0; i < count; i++) {
        double slot = start + i / rate;
        double ahead = slot - now_seconds();
        if (ahead > 0) {
            struct timespec pause = {(time_t)ahead, (long)((ahead - (time_t)ahead) * 1e9)};
            nanosleep(&pause, NULL);
        } else if (ahead < -0.001) {
            late++;
        }
        char digits[24];
        snprintf(digits, sizeof digits, "%010ld", i % 10000000000L);
        memcpy(payload, digits, 10);
        double sent = now_seconds();
        if (zmq_send(socket, payload, size, 0) < 0) {
            fprintf(stderr, "send: %s\n", zmq_strerror(zmq_errno()));
            return 1;
        }
        int got = zmq_recv(socket, reply, size + 1, 0);
        double back = now_seconds();
        if (got != size || memcmp(reply, payload, size) != 0) {
            fprintf(stderr, "request %ld: the reply is not the request echoed\n", i);
            return 1;
        }
        trips[i] = (back - sent) * 1e6;
    }
    double sum = 0;
    for (long i = 0; i < count; i++) sum += trips[i];
    qsort(trips, count, sizeof(double), by_value);
    printf("p50 %.1f\n", percentile(trips, count, 0.50));
    printf("p99 %.1f\n", percentile(trips, count, 0.99));
    printf("max %.1f\n", trips[count - 1]);
    printf("mean %.1f\n", sum / count);
    printf("late %ld\n", late);
    fflush(stdout);
    zmq_close(socket);
    zmq_ctx_term(context);
    free(trips);
    free(payload);
    free(reply);
    return 0;
}

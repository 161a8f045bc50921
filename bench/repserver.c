/* P5 latency: a REP echo server. Binds ENDPOINT, prints `ready`, sends every request back as it came (every
 * frame) until its stdin closes.
 *   repserver ENDPOINT */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>
#include <zmq.h>

/* The harness stops this process by closing its stdin, so it ends with the harness even if the harness dies. */
static void *exit_at_end_of_stdin(void *unused) {
    char byte;
    (void)unused;
    while (read(0, &byte, 1) > 0) {
    }
    _exit(0);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: repserver ENDPOINT\n");
        return 2;
    }
    void *context = zmq_ctx_new();
    void *socket = zmq_socket(context, ZMQ_REP);
    if (zmq_bind(socket, argv[1]) != 0) {
        fprintf(stderr, "bind %s: %s\n", argv[1], zmq_strerror(zmq_errno()));
        return 1;
    }
    pthread_t watcher;
    pthread_create(&watcher, NULL, exit_at_end_of_stdin, NULL);
    printf("ready\n");
    fflush(stdout);
    zmq_msg_t message;
    zmq_msg_init(&message);
    for (;;) {
        if (zmq_msg_recv(&message, socket, 0) < 0) break;
        int more = zmq_msg_more(&message);
        if (zmq_msg_send(&message, socket, more ? ZMQ_SNDMORE : 0) < 0) break;
    }
    return 1;
}

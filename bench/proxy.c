/* P5's reference proxy, libzmq's own zmq_proxy. Binds FRONT (where the sender or client connects), connects to BACK
 * (where the receiver or server binds), prints `ready` and forwards until its stdin closes.
 *   proxy FRONT BACK           PULL -> PUSH (forwarding rate)
 *   proxy FRONT BACK reqrep    ROUTER <-> DEALER (added latency) */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
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
    if (argc < 3) {
        fprintf(stderr, "usage: proxy FRONT BACK [reqrep]\n");
        return 2;
    }
    void *context = zmq_ctx_new();
    int reqrep = argc > 3 && strcmp(argv[3], "reqrep") == 0;
    void *front = zmq_socket(context, reqrep ? ZMQ_ROUTER : ZMQ_PULL);
    void *back = zmq_socket(context, reqrep ? ZMQ_DEALER : ZMQ_PUSH);
    if (zmq_bind(front, argv[1]) != 0 || zmq_connect(back, argv[2]) != 0) {
        fprintf(stderr, "proxy %s -> %s: %s\n", argv[1], argv[2], zmq_strerror(zmq_errno()));
        return 1;
    }
    pthread_t watcher;
    pthread_create(&watcher, NULL, exit_at_end_of_stdin, NULL);
    printf("ready\n");
    fflush(stdout);
    zmq_proxy(front, back, NULL);
    return 0;
}

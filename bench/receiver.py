"""Benchmark receiver (pyzmq): PULL binds argv[1], receives argv[2] messages, prints seconds first->last."""
import sys
import time
import zmq

endpoint, count = sys.argv[1], int(sys.argv[2])
context = zmq.Context()
pull = context.socket(zmq.PULL)
pull.bind(endpoint)
print("ready", flush=True)
pull.recv_multipart()
start = time.perf_counter()
for _ in range(count - 1):
    pull.recv_multipart(copy=False)
print(f"elapsed {time.perf_counter() - start}", flush=True)

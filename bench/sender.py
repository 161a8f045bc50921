"""Benchmark sender: PUSH connects to argv[1] and sends argv[2] messages of argv[3] bytes in argv[4] frames,
as fast as pyzmq can. The same sender feeds every receiver, so the comparison is fair."""
import sys
import zmq

endpoint, count, size, frames = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
context = zmq.Context()
push = context.socket(zmq.PUSH)
push.sndhwm = 0
push.connect(endpoint)
part = b"x" * max(1, size // frames)
message = [part] * frames
if frames == 1:
    for _ in range(count):
        push.send(part)
else:
    for _ in range(count):
        push.send_multipart(message)
push.close(linger=-1)
context.term()

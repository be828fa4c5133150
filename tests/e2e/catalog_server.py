#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Test tooling for tests/e2e/catalog_sync.sh: a loopback HTTP server for one
# directory that honours Range (bytes=N-) and If-Modified-Since, sends
# Last-Modified, can cut the first full download short (--cut-first N) to
# simulate a broken transfer, and logs every request to --log.
import argparse
import email.utils
import http.server
import os
import sys

args = None
cut_done = False


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *a):
        pass

    def record(self, status):
        with open(args.log, "a") as f:
            f.write("%s %s range=%s ims=%s -> %d\n" % (
                self.command, self.path, self.headers.get("Range", "-"),
                self.headers.get("If-Modified-Since", "-"), status))

    def do_GET(self):
        global cut_done
        path = os.path.join(args.dir, os.path.basename(self.path))
        if not os.path.isfile(path):
            self.record(404)
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        st = os.stat(path)
        mtime = int(st.st_mtime)
        lastmod = email.utils.formatdate(mtime, usegmt=True)
        ims = self.headers.get("If-Modified-Since")
        rng = self.headers.get("Range")
        if ims and not rng:
            t = email.utils.parsedate_to_datetime(ims).timestamp()
            if mtime <= int(t):
                self.record(304)
                self.send_response(304)
                self.send_header("Last-Modified", lastmod)
                self.end_headers()
                return
        with open(path, "rb") as f:
            data = f.read()
        start = 0
        status = 200
        if rng and rng.startswith("bytes=") and rng.endswith("-"):
            start = int(rng[6:-1])
            if start >= len(data):
                self.record(416)
                self.send_response(416)
                self.send_header("Content-Range", "bytes */%d" % len(data))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            status = 206
        body = data[start:]
        self.record(status)
        self.send_response(status)
        self.send_header("Content-Type", "application/vnd.ms-cab-compressed")
        self.send_header("Last-Modified", lastmod)
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Length", str(len(body)))
        if status == 206:
            self.send_header("Content-Range", "bytes %d-%d/%d" % (
                start, len(data) - 1, len(data)))
        self.end_headers()
        if args.cut_first and not cut_done and status == 200:
            cut_done = True
            self.wfile.write(body[:args.cut_first])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body)


def main():
    global args
    p = argparse.ArgumentParser()
    p.add_argument("--dir", required=True)
    p.add_argument("--port-file", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--cut-first", type=int, default=0)
    args = p.parse_args()
    srv = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(args.port_file + ".tmp", args.port_file)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""fake_leaderboard.py PORT_FILE LOG_FILE: a one-shot stand-in for the
opencamp leaderboard API. Listens on 127.0.0.1 (a free port, written to
PORT_FILE), records the first POST (path, Authorization header, JSON body)
into LOG_FILE, answers 200 and exits."""
import http.server
import json
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with open(sys.argv[2], "w") as f:
            json.dump({"path": self.path,
                       "authorization": self.headers.get("Authorization"),
                       "content_type": self.headers.get("Content-Type"),
                       "body": json.loads(body)}, f)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"code":200}')

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
with open(sys.argv[1], "w") as f:
    f.write(str(server.server_address[1]))
server.timeout = 60
server.handle_request()

#!/usr/bin/env python3
"""fake_leaderboard.py PORT_FILE LOG_FILE [STATUS BODY]: a one-shot stand-in
for the opencamp leaderboard API. Listens on 127.0.0.1 (a free port,
written to PORT_FILE), records the first POST (path, headers, JSON body)
into LOG_FILE, answers HTTP STATUS (default 200) with BODY (default
{"result":1,"msg":"ok"}: the service's "accepted") and exits."""
import http.server
import json
import sys

STATUS = int(sys.argv[3]) if len(sys.argv) > 3 else 200
BODY = sys.argv[4] if len(sys.argv) > 4 else '{"result":1,"msg":"ok"}'


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with open(sys.argv[2], "w") as f:
            json.dump({"path": self.path,
                       "token": self.headers.get("token"),
                       "authorization": self.headers.get("Authorization"),
                       "content_type": self.headers.get("Content-Type"),
                       "body": json.loads(body)}, f)
        self.send_response(STATUS)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(BODY.encode())

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
with open(sys.argv[1], "w") as f:
    f.write(str(server.server_address[1]))
server.timeout = 60
server.handle_request()

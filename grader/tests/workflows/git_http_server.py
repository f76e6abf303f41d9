#!/usr/bin/env python3
"""git_http_server.py ROOT PORT_FILE TOKEN: git's smart HTTP protocol on
127.0.0.1 (a free port, written to PORT_FILE) for the repositories below
ROOT, through `git http-backend`, the way a host serves private
repositories: a request without "Authorization: Basic" of
x-access-token:TOKEN gets 401. Also serves ROOT/pages/ as plain files
(a stand-in for the published GitHub Pages site: 404 when absent). Every
Authorization header seen is appended to ROOT/auth.log. Runs until
killed."""
import base64
import http.server
import os
import subprocess
import sys

ROOT, PORT_FILE, TOKEN = sys.argv[1:4]
WANT = "Basic " + base64.b64encode(("x-access-token:" + TOKEN).encode()).decode()


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path.startswith("/pages/"):
            return self.page()
        self.git()

    def do_POST(self):
        self.git()

    def page(self):
        path = os.path.join(ROOT, self.path.lstrip("/").split("?")[0])
        if ".." in self.path or not os.path.isfile(path):
            self.send_error(404)
            return
        data = open(path, "rb").read()
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def git(self):
        auth = self.headers.get("Authorization")
        with open(os.path.join(ROOT, "auth.log"), "a") as f:
            f.write("%s %s\n" % (self.path.split("?")[0], auth))
        if auth != WANT:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="private"')
            self.end_headers()
            return
        path, _, query = self.path.partition("?")
        body = self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
        env = {"GIT_PROJECT_ROOT": os.path.join(ROOT, "repos"), "GIT_HTTP_EXPORT_ALL": "1",
               "PATH_INFO": path, "QUERY_STRING": query, "REQUEST_METHOD": self.command,
               "CONTENT_TYPE": self.headers.get("Content-Type", ""), "CONTENT_LENGTH": str(len(body)),
               "REMOTE_USER": "x-access-token", "PATH": os.environ["PATH"]}
        if self.headers.get("Git-Protocol"):
            env["GIT_PROTOCOL"] = self.headers["Git-Protocol"]
        out = subprocess.run(["git", "http-backend"], input=body, env=env, capture_output=True).stdout
        head, _, payload = out.partition(b"\r\n\r\n")
        status = 200
        headers = []
        for line in head.decode("latin-1").split("\r\n"):
            k, _, v = line.partition(":")
            if k.lower() == "status":
                status = int(v.strip().split()[0])
            elif k:
                headers.append((k, v.strip()))
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(PORT_FILE, "w") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()

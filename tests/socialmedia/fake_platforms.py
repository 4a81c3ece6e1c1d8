"""A fake of the five platforms' APIs, served over real HTTP on 127.0.0.1.

It answers with the platforms' own wire formats (paths, JSON shapes, status
codes, headers) so the adapters are exercised exactly as in production,
down to sockets and timeouts. Each platform lives under its own prefix; the
tests point the ``SOCIAL_*_URL`` settings at them.

Tests steer it with ``fail(platform, operation, kind)``:

- ``rate_limit``: 429 with Retry-After / X's ``x-rate-limit-*`` headers /
  Meta's error codes and usage headers / YouTube's ``rateLimitExceeded``
  (``quota=True``: ``quotaExceeded``) / TikTok's ``rate_limit_exceeded``;
- ``server_error``: a 5xx in the platform's error shape;
- ``token``: the platform's refused-token answer;
- ``slow``: answer normally after ``delay`` seconds (below the client
  timeout);
- ``timeout``: carry the request out, then hold the answer ``delay``
  seconds (past the client timeout), as a platform that posted but whose
  answer never arrived (``apply=False``: hold it without doing anything).

``operation`` names the call: ``create`` is every call that makes a post
public (Facebook feed/photos/videos, Instagram ``media_publish``, X
``tweets``, the YouTube upload, the TikTok chunk upload); others are
``whoami``, ``container``, ``container_status``, ``quota``, ``search``,
``engagement``, ``media_upload``, ``upload_session``, ``init``, ``status``,
``creator_info``, ``token``. ``*`` matches any.
"""

from __future__ import annotations

import email.parser
import email.policy
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

PLATFORM_PREFIXES = {
    "facebook": "/fb/v21.0",
    "instagram": "/ig/v21.0",
    "x": "/x",
    "youtube": "/yt",
    "tiktok": "/tt",
}


@dataclass
class Call:
    platform: str
    operation: str
    method: str
    path: str
    query: dict
    headers: dict
    body: bytes
    form: dict = field(default_factory=dict)
    json: dict | None = None
    at: float = 0.0


@dataclass
class Fault:
    platform: str
    operation: str
    kind: str
    times: int
    options: dict


class Reply(Exception):
    """Raised by a route to answer with a status, body and headers."""

    def __init__(self, status: int, body=None, headers: dict | None = None):
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = headers or {}


class FakePlatforms:
    def __init__(self):
        self.lock = threading.Lock()
        self._stop = threading.Event()
        self._ids = itertools.count(1000)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.reset()

    # --- lifecycle -------------------------------------------------------------

    def start(self) -> FakePlatforms:
        self.thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self.server.shutdown()
        self.server.server_close()

    def reset(self) -> None:
        with self.lock:
            self.calls: list[Call] = []
            self.faults: list[Fault] = []
            self.refused_tokens: set[str] = set()
            self.posts: dict[str, list[dict]] = {p: [] for p in PLATFORM_PREFIXES}
            self.containers: dict[str, dict] = {}
            self.ig_media: dict[str, dict] = {}
            self.x_media: dict[str, dict] = {}
            self.yt_sessions: dict[str, dict] = {}
            self.tt_publishes: dict[str, dict] = {}
            self.fb_photos: dict[str, dict] = {}
            self.ig_quota_total = 100
            self.ig_quota_used = 0
            # Polls a new Instagram container / X video / TikTok publish
            # stays "in progress" before it is ready.
            self.processing_polls = 0
            self.tiktok_privacy_options = ["PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "SELF_ONLY"]
            self.names = {}
            # Percentage reported in Meta's X-App-Usage header on every answer.
            self.meta_usage = None
            # X's x-rate-limit-remaining on successful answers.
            self.x_remaining = 99

    def settings(self) -> dict[str, str]:
        """Setting overrides pointing every adapter here."""
        return {
            "SOCIAL_FACEBOOK_GRAPH_URL": self.url + PLATFORM_PREFIXES["facebook"],
            "SOCIAL_INSTAGRAM_GRAPH_URL": self.url + PLATFORM_PREFIXES["instagram"],
            "SOCIAL_X_API_URL": self.url + PLATFORM_PREFIXES["x"],
            "SOCIAL_X_UPLOAD_URL": self.url + PLATFORM_PREFIXES["x"],
            "SOCIAL_YOUTUBE_API_URL": self.url + PLATFORM_PREFIXES["youtube"],
            "SOCIAL_TIKTOK_API_URL": self.url + PLATFORM_PREFIXES["tiktok"],
            "SOCIAL_GOOGLE_TOKEN_URL": self.url + "/google/token",
        }

    # --- steering and inspecting ---------------------------------------------------

    def fail(self, platform: str, operation: str, kind: str, *, times: int = 1, **options) -> None:
        with self.lock:
            self.faults.append(Fault(platform, operation, kind, times, options))

    def refuse_token(self, token: str) -> None:
        with self.lock:
            self.refused_tokens.add(token)

    def calls_to(self, platform: str | None = None, operation: str | None = None) -> list[Call]:
        with self.lock:
            return [
                c
                for c in self.calls
                if (platform is None or c.platform == platform)
                and (operation is None or c.operation == operation)
            ]

    def created(self, platform: str) -> list[dict]:
        with self.lock:
            return list(self.posts[platform])

    def next_id(self) -> str:
        return str(next(self._ids))

    # --- the HTTP side -------------------------------------------------------------

    def _handler_class(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format, *args):  # keep test output quiet
                pass

            def _serve(self):
                fake.handle(self)

            do_GET = do_POST = do_PUT = do_DELETE = _serve

        return Handler

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(request.path)
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else b""
        call = Call(
            platform="",
            operation="",
            method=request.command,
            path=parts.path,
            query={k: v[0] for k, v in parse_qs(parts.query).items()},
            headers={k.lower(): v for k, v in request.headers.items()},
            body=body,
            at=time.time(),
        )
        content_type = call.headers.get("content-type", "")
        if content_type.startswith("application/json") and body:
            call.json = json.loads(body)
        elif content_type.startswith("application/x-www-form-urlencoded"):
            call.form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
        elif content_type.startswith("multipart/form-data"):
            call.form = _parse_multipart(content_type, body)
        try:
            route = self._route(call)
            with self.lock:
                self.calls.append(call)
                fault = self._take_fault(call)
            if fault and fault.kind == "slow":
                self._stop.wait(fault.options.get("delay", 0.2))
            if fault and fault.kind not in ("slow", "timeout"):
                raise self._fault_reply(call.platform, fault)
            if fault and fault.kind == "timeout" and not fault.options.get("apply", True):
                # Too late, and nothing was done.
                self._stop.wait(fault.options.get("delay", 1.0))
                raise self._fault_reply(
                    call.platform, Fault(call.platform, call.operation, "server_error", 1, {})
                )
            self._check_token(call)
            with self.lock:
                reply = route(call)
            if fault and fault.kind == "timeout":
                # The work is done; the answer arrives too late.
                self._stop.wait(fault.options.get("delay", 1.0))
            if call.platform in ("facebook", "instagram") and self.meta_usage is not None:
                usage = {"call_count": self.meta_usage, "total_time": 10, "total_cputime": 10}
                reply.headers.setdefault("X-App-Usage", json.dumps(usage))
        except Reply as answer:
            reply = answer
        self._write(request, reply)

    def _write(self, request, reply: Reply) -> None:
        if isinstance(reply.body, dict | list):
            payload = json.dumps(reply.body).encode()
            content_type = "application/json; charset=UTF-8"
        else:
            payload = (reply.body or "").encode() if isinstance(reply.body, str | type(None)) else reply.body
            content_type = "text/plain"
        try:
            request.send_response(reply.status)
            request.send_header("Content-Type", content_type)
            request.send_header("Content-Length", str(len(payload)))
            for key, value in reply.headers.items():
                request.send_header(key, value)
            request.end_headers()
            request.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up waiting (a timeout test); nothing to do.
            pass

    def _take_fault(self, call: Call) -> Fault | None:
        for fault in self.faults:
            if fault.platform in (call.platform, "*") and fault.operation in (call.operation, "*"):
                fault.times -= 1
                if fault.times <= 0:
                    self.faults.remove(fault)
                return fault
        return None

    def _token(self, call: Call) -> str:
        auth = call.headers.get("authorization", "")
        return auth.split(" ", 1)[1] if " " in auth else ""

    def _check_token(self, call: Call) -> None:
        if call.operation in ("token",) or call.path.startswith(("/tt-upload/", "/yt/upload-session/")):
            return
        token = self._token(call)
        if not token or token in self.refused_tokens:
            raise self._fault_reply(call.platform, Fault(call.platform, call.operation, "token", 1, {}))

    # --- platform error shapes -------------------------------------------------------

    def _fault_reply(self, platform: str, fault: Fault) -> Reply:
        kind, options = fault.kind, fault.options
        now = time.time()
        if platform in ("facebook", "instagram"):
            if kind == "token":
                return Reply(
                    400,
                    {
                        "error": {
                            "message": "Error validating access token: Session has expired on Monday, "
                            "01-Jan-24 00:00:00 PST.",
                            "type": "OAuthException",
                            "code": 190,
                            "error_subcode": 463,
                            "fbtrace_id": "AbCdEfGh123",
                        }
                    },
                )
            if kind == "rate_limit":
                code = options.get("code", 32)
                minutes = options.get("minutes", 10)
                usage = {
                    "1234567890": [
                        {
                            "type": "pages" if platform == "facebook" else "instagram",
                            "call_count": 100,
                            "total_cputime": 40,
                            "total_time": 45,
                            "estimated_time_to_regain_access": minutes,
                        }
                    ]
                }
                return Reply(
                    400,
                    {
                        "error": {
                            "message": f"(#{code}) Page request limit reached",
                            "type": "OAuthException",
                            "code": code,
                            "fbtrace_id": "AbCdEfGh124",
                        }
                    },
                    {
                        "X-Business-Use-Case-Usage": json.dumps(usage),
                        "X-App-Usage": json.dumps({"call_count": 100}),
                    },
                )
            return Reply(
                500,
                {
                    "error": {
                        "message": "An unexpected error has occurred. Please retry your request later.",
                        "type": "OAuthException",
                        "code": 2,
                        "is_transient": True,
                        "fbtrace_id": "AbCdEfGh125",
                    }
                },
            )
        if platform == "x":
            if kind == "token":
                if options.get("v1"):
                    return Reply(401, {"errors": [{"code": 89, "message": "Invalid or expired token."}]})
                return Reply(
                    401,
                    {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"},
                )
            if kind == "rate_limit":
                reset = int(now + options.get("seconds", 900))
                return Reply(
                    429,
                    {
                        "title": "Too Many Requests",
                        "detail": "Too Many Requests",
                        "type": "about:blank",
                        "status": 429,
                    },
                    {
                        "x-rate-limit-limit": "100",
                        "x-rate-limit-remaining": "0",
                        "x-rate-limit-reset": str(reset),
                    },
                )
            return Reply(
                503,
                {
                    "title": "Service Unavailable",
                    "detail": "Service Unavailable",
                    "type": "about:blank",
                    "status": 503,
                },
            )
        if platform == "youtube":
            if kind == "token":
                return Reply(
                    401,
                    {
                        "error": {
                            "code": 401,
                            "message": "Request had invalid authentication credentials.",
                            "errors": [
                                {"message": "Invalid Credentials", "domain": "global", "reason": "authError"}
                            ],
                            "status": "UNAUTHENTICATED",
                        }
                    },
                )
            if kind == "rate_limit":
                reason = "quotaExceeded" if options.get("quota") else "rateLimitExceeded"
                headers = {} if options.get("quota") else {"Retry-After": str(options.get("seconds", 120))}
                return Reply(
                    403,
                    {
                        "error": {
                            "code": 403,
                            "message": f"The request cannot be completed: {reason}.",
                            "errors": [{"message": reason, "domain": "youtube.quota", "reason": reason}],
                        }
                    },
                    headers,
                )
            return Reply(
                500,
                {
                    "error": {
                        "code": 500,
                        "message": "Backend Error",
                        "errors": [
                            {"message": "Backend Error", "domain": "global", "reason": "backendError"}
                        ],
                    }
                },
            )
        if platform == "tiktok":
            if kind == "token":
                return Reply(
                    401,
                    {
                        "data": {},
                        "error": {
                            "code": "access_token_invalid",
                            "message": "The access token is invalid or not found in the request.",
                            "log_id": "20240101000000ABCDEF",
                        },
                    },
                )
            if kind == "rate_limit":
                return Reply(
                    429,
                    {
                        "data": {},
                        "error": {
                            "code": "rate_limit_exceeded",
                            "message": "API rate limit was exceeded.",
                            "log_id": "20240101000000ABCDF0",
                        },
                    },
                    {"Retry-After": str(options.get("seconds", 60))},
                )
            return Reply(
                500,
                {
                    "data": {},
                    "error": {
                        "code": "internal_error",
                        "message": "Internal error.",
                        "log_id": "20240101000000ABCDF1",
                    },
                },
            )
        return Reply(500, {"error": "unknown platform"})

    # --- routing ------------------------------------------------------------------------

    def _route(self, call: Call):
        path = call.path
        if path.startswith("/yt/upload-session/"):
            call.platform, call.operation = "youtube", "create" if call.body else "upload_status"
            return self._yt_session
        if path.startswith("/tt-upload/"):
            call.platform, call.operation = "tiktok", "create"
            return self._tt_upload
        if path == "/google/token":
            call.platform, call.operation = "youtube", "token"
            return self._google_token
        for platform, prefix in PLATFORM_PREFIXES.items():
            if path.startswith(prefix + "/"):
                call.platform = platform
                rest = path[len(prefix) + 1 :].strip("/")
                return getattr(self, f"_route_{platform}")(call, rest.split("/"))
        raise Reply(404, {"error": "no such path"})

    # Facebook ------------------------------------------------------------------------

    def _route_facebook(self, call: Call, parts: list[str]):
        if len(parts) == 2 and call.method == "POST" and parts[1] in ("feed", "photos", "videos"):
            published = call.form.get("published", "true") != "false"
            call.operation = "create" if published else "photo_upload"
            return lambda c: self._fb_create(c, parts[0], parts[1])
        if len(parts) == 2 and parts[1] == "posts":
            call.operation = "search"
            return lambda c: self._fb_posts(parts[0])
        if len(parts) == 1 and call.method == "GET":
            fields = call.query.get("fields", "")
            if "reactions" in fields:
                call.operation = "engagement"
                return lambda c: self._fb_engagement(parts[0])
            if "permalink_url" in fields:
                call.operation = "permalink"
                return lambda c: Reply(
                    200, {"id": parts[0], "permalink_url": f"https://www.facebook.com/fake/posts/{parts[0]}"}
                )
            call.operation = "whoami"
            return lambda c: Reply(
                200,
                {
                    "id": parts[0],
                    "name": self.names.get(parts[0], f"Halaman {parts[0]}"),
                    "username": "halaman",
                },
            )
        raise Reply(
            404, {"error": {"message": "Unknown path components", "type": "OAuthException", "code": 2500}}
        )

    def _fb_create(self, call: Call, page: str, edge: str) -> Reply:
        photo_id = self.next_id()
        if edge == "photos" and call.form.get("published") == "false":
            self.fb_photos[photo_id] = {"size": len(call.form.get("source", b""))}
            return Reply(200, {"id": photo_id})
        post_id = f"{page}_{self.next_id()}"
        post = {
            "id": post_id,
            "edge": edge,
            "message": call.form.get("message") or call.form.get("description") or "",
            "link": call.form.get("link", ""),
            "attached_media": [
                json.loads(v) for k, v in sorted(call.form.items()) if k.startswith("attached_media")
            ],
            "created_time": time.strftime("%Y-%m-%dT%H:%M:%S+0000", time.gmtime()),
            "likes": 7,
            "comments": 2,
            "shares": 1,
        }
        self.posts["facebook"].append(post)
        if edge == "photos":
            return Reply(200, {"id": photo_id, "post_id": post_id})
        if edge == "videos":
            post["id"] = photo_id
            return Reply(200, {"id": photo_id})
        return Reply(200, {"id": post_id})

    def _fb_posts(self, page: str) -> Reply:
        data = [
            {
                "id": p["id"],
                "message": p["message"],
                "created_time": p["created_time"],
                "permalink_url": f"https://www.facebook.com/fake/posts/{p['id']}",
            }
            for p in reversed(self.posts["facebook"])
            if str(p["id"]).startswith(page) or p["edge"] == "videos"
        ]
        return Reply(200, {"data": data, "paging": {}})

    def _fb_engagement(self, post_id: str) -> Reply:
        post = next((p for p in self.posts["facebook"] if p["id"] == post_id), None)
        if post is None:
            raise Reply(
                400,
                {
                    "error": {
                        "message": "Unsupported get request.",
                        "type": "GraphMethodException",
                        "code": 100,
                    }
                },
            )
        return Reply(
            200,
            {
                "id": post_id,
                "reactions": {"data": [], "summary": {"total_count": post["likes"]}},
                "comments": {"data": [], "summary": {"total_count": post["comments"]}},
                "shares": {"count": post["shares"]},
            },
        )

    # Instagram -----------------------------------------------------------------------

    def _route_instagram(self, call: Call, parts: list[str]):
        if len(parts) == 2 and parts[1] == "content_publishing_limit":
            call.operation = "quota"
            return lambda c: Reply(
                200,
                {
                    "data": [
                        {
                            "quota_usage": self.ig_quota_used,
                            "config": {"quota_total": self.ig_quota_total, "quota_duration": 86400},
                        }
                    ]
                },
            )
        if len(parts) == 2 and parts[1] == "media" and call.method == "POST":
            call.operation = "container"
            return lambda c: self._ig_container(c, parts[0])
        if len(parts) == 2 and parts[1] == "media":
            call.operation = "search"
            return lambda c: Reply(
                200,
                {
                    "data": [
                        {
                            "id": mid,
                            "caption": m["caption"],
                            "permalink": m["permalink"],
                            "timestamp": m["timestamp"],
                        }
                        for mid, m in reversed(list(self.ig_media.items()))
                    ]
                },
            )
        if len(parts) == 2 and parts[1] == "media_publish":
            call.operation = "create"
            return lambda c: self._ig_publish(c, parts[0])
        if len(parts) == 1 and call.method == "GET":
            object_id = parts[0]
            fields = call.query.get("fields", "")
            if object_id in self.containers:
                call.operation = "container_status"
                return lambda c: self._ig_container_status(object_id)
            if object_id in self.ig_media:
                call.operation = "engagement" if "like_count" in fields else "permalink"
                media = self.ig_media[object_id]
                return lambda c: Reply(
                    200,
                    {
                        "id": object_id,
                        "permalink": media["permalink"],
                        "like_count": media["likes"],
                        "comments_count": media["comments"],
                    },
                )
            call.operation = "whoami"
            return lambda c: Reply(
                200,
                {
                    "id": object_id,
                    "username": "kemenag_contoh",
                    "name": self.names.get(object_id, "Kemenag Contoh"),
                },
            )
        raise Reply(
            404, {"error": {"message": "Unknown path components", "type": "OAuthException", "code": 2500}}
        )

    def _ig_container(self, call: Call, user: str) -> Reply:
        form = call.form
        if not (form.get("image_url") or form.get("video_url") or form.get("children")):
            raise Reply(
                400,
                {
                    "error": {
                        "message": "The parameter image_url is required.",
                        "type": "OAuthException",
                        "code": 100,
                    }
                },
            )
        container_id = self.next_id()
        self.containers[container_id] = {
            "user": user,
            "caption": form.get("caption", ""),
            "media_type": form.get("media_type", "IMAGE"),
            "image_url": form.get("image_url", ""),
            "video_url": form.get("video_url", ""),
            "children": form.get("children", ""),
            "status": "IN_PROGRESS" if self.processing_polls else "FINISHED",
            "polls_left": self.processing_polls,
        }
        return Reply(200, {"id": container_id})

    def _ig_container_status(self, container_id: str) -> Reply:
        container = self.containers[container_id]
        if container["status"] == "IN_PROGRESS":
            container["polls_left"] -= 1
            if container["polls_left"] < 0:
                container["status"] = "FINISHED"
        return Reply(
            200, {"status_code": container["status"], "status": container["status"], "id": container_id}
        )

    def _ig_publish(self, call: Call, user: str) -> Reply:
        container_id = call.form.get("creation_id", "")
        container = self.containers.get(container_id)
        if container is None or container["status"] != "FINISHED":
            raise Reply(
                400,
                {
                    "error": {
                        "message": "Media ID is not available",
                        "type": "OAuthException",
                        "code": 9007,
                        "error_subcode": 2207027,
                    }
                },
            )
        media_id = self.next_id()
        container["status"] = "PUBLISHED"
        self.ig_quota_used += 1
        media = {
            "id": media_id,
            "container": container_id,
            "caption": container["caption"],
            "permalink": f"https://www.instagram.com/p/FAKE{media_id}/",
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S+0000", time.gmtime()),
            "likes": 11,
            "comments": 3,
        }
        self.ig_media[media_id] = media
        self.posts["instagram"].append(media)
        return Reply(200, {"id": media_id})

    # X --------------------------------------------------------------------------------

    def _route_x(self, call: Call, parts: list[str]):
        rate_headers = {
            "x-rate-limit-limit": "100",
            "x-rate-limit-remaining": str(self.x_remaining),
            "x-rate-limit-reset": str(int(time.time()) + 900),
        }
        if parts == ["2", "users", "me"]:
            call.operation = "whoami"
            return lambda c: Reply(
                200,
                {
                    "data": {
                        "id": "4401",
                        "name": self.names.get("x", "Kemenag Contoh"),
                        "username": "kemenagcontoh",
                    }
                },
                rate_headers,
            )
        if parts == ["2", "tweets"] and call.method == "POST":
            call.operation = "create"
            return lambda c: self._x_tweet(c, rate_headers)
        if len(parts) == 4 and parts[:2] == ["2", "users"] and parts[3] == "tweets":
            call.operation = "search"
            return lambda c: Reply(
                200,
                {
                    "data": [
                        {"id": t["id"], "text": t["text"], "created_at": t["created_at"]}
                        for t in reversed(self.posts["x"])
                    ],
                    "meta": {"result_count": len(self.posts["x"])},
                },
                rate_headers,
            )
        if len(parts) == 3 and parts[:2] == ["2", "tweets"]:
            call.operation = "engagement"
            tweet = next((t for t in self.posts["x"] if t["id"] == parts[2]), None)
            if tweet is None:
                raise Reply(
                    404, {"title": "Not Found Error", "detail": "Could not find tweet", "status": 404}
                )
            return lambda c: Reply(
                200,
                {
                    "data": {
                        "id": tweet["id"],
                        "text": tweet["text"],
                        "public_metrics": {
                            "retweet_count": 4,
                            "reply_count": 5,
                            "like_count": 21,
                            "quote_count": 1,
                            "impression_count": 300,
                        },
                    }
                },
                rate_headers,
            )
        if parts[:3] == ["2", "media", "upload"]:
            call.operation = "media_upload"
            return lambda c: self._x_media(c, parts[3:])
        if parts == ["2", "oauth2", "token"]:
            call.operation = "token"
            return lambda c: Reply(
                200,
                {
                    "token_type": "bearer",
                    "access_token": "x-renewed",
                    "expires_in": 7200,
                    "refresh_token": "x-refresh-2",
                },
            )
        raise Reply(404, {"title": "Not Found Error", "type": "about:blank", "status": 404})

    def _x_tweet(self, call: Call, headers: dict) -> Reply:
        body = call.json or {}
        text = body.get("text", "")
        for media_id in (body.get("media") or {}).get("media_ids", []):
            media = self.x_media.get(media_id)
            if media is None or media["state"] != "succeeded":
                raise Reply(
                    400, {"title": "Invalid Request", "detail": "Your media IDs are invalid.", "status": 400}
                )
        if any(t["text"] == text for t in self.posts["x"]):
            raise Reply(
                403,
                {
                    "title": "Forbidden",
                    "type": "about:blank",
                    "status": 403,
                    "detail": "You are not allowed to create a Tweet with duplicate content.",
                },
            )
        tweet = {
            "id": self.next_id(),
            "text": text,
            "media_ids": (body.get("media") or {}).get("media_ids", []),
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()),
        }
        self.posts["x"].append(tweet)
        return Reply(
            201, {"data": {"id": tweet["id"], "text": text, "edit_history_tweet_ids": [tweet["id"]]}}, headers
        )

    def _x_media(self, call: Call, rest: list[str]) -> Reply:
        if rest == ["initialize"]:
            body = call.json or {}
            media_id = self.next_id()
            self.x_media[media_id] = {
                "type": body.get("media_type"),
                "total": body.get("total_bytes"),
                "category": body.get("media_category"),
                "received": 0,
                "state": "uploading",
                "polls_left": self.processing_polls,
            }
            return Reply(
                200, {"data": {"id": media_id, "media_key": f"3_{media_id}", "expires_after_secs": 86400}}
            )
        if len(rest) == 2 and rest[1] == "append":
            media = self.x_media[rest[0]]
            media["received"] += len(call.form.get("media", b""))
            return Reply(200, {"data": {"expires_at": int(time.time()) + 86400}})
        if len(rest) == 2 and rest[1] == "finalize":
            media = self.x_media[rest[0]]
            if media["received"] != media["total"]:
                raise Reply(
                    400,
                    {
                        "errors": [
                            {"message": "Segments do not add up to provided total file size.", "code": 324}
                        ]
                    },
                )
            data = {
                "id": rest[0],
                "media_key": f"3_{rest[0]}",
                "size": media["total"],
                "expires_after_secs": 86400,
            }
            if media["category"] == "tweet_video":
                media["state"] = "pending"
                data["processing_info"] = {"state": "pending", "check_after_secs": 1}
            else:
                media["state"] = "succeeded"
            return Reply(200, {"data": data})
        if rest == [] and call.query.get("command") == "STATUS":
            media = self.x_media[call.query["media_id"]]
            if media["state"] == "pending":
                media["polls_left"] -= 1
                if media["polls_left"] < 0:
                    media["state"] = "succeeded"
            info = {"state": media["state"], "progress_percent": 100 if media["state"] == "succeeded" else 40}
            if media["state"] != "succeeded":
                info["check_after_secs"] = 1
            return Reply(200, {"data": {"id": call.query["media_id"], "processing_info": info}})
        raise Reply(404, {"title": "Not Found Error", "status": 404})

    # YouTube ------------------------------------------------------------------------

    def _route_youtube(self, call: Call, parts: list[str]):
        if parts == ["youtube", "v3", "channels"]:
            call.operation = "whoami"
            return lambda c: Reply(
                200,
                {
                    "kind": "youtube#channelListResponse",
                    "items": [
                        {
                            "kind": "youtube#channel",
                            "id": "UCfakechannel",
                            "snippet": {
                                "title": self.names.get("youtube", "Kemenag Contoh TV"),
                                "customUrl": "@kemenagcontoh",
                            },
                        }
                    ],
                },
            )
        if parts == ["upload", "youtube", "v3", "videos"] and call.method == "POST":
            call.operation = "upload_session"
            return self._yt_start
        if parts == ["youtube", "v3", "videos"] and call.method == "GET":
            call.operation = "engagement"
            return lambda c: Reply(
                200,
                {
                    "items": [
                        {
                            "id": c.query.get("id"),
                            "statistics": {"viewCount": "1500", "likeCount": "42", "commentCount": "6"},
                        }
                    ]
                },
            )
        raise Reply(404, {"error": {"code": 404, "message": "Not Found"}})

    def _yt_start(self, call: Call) -> Reply:
        if call.query.get("uploadType") != "resumable":
            raise Reply(400, {"error": {"code": 400, "message": "uploadType must be resumable"}})
        session_id = self.next_id()
        self.yt_sessions[session_id] = {
            "metadata": call.json or {},
            "size": int(call.headers.get("x-upload-content-length", "0")),
            "type": call.headers.get("x-upload-content-type", ""),
            "received": 0,
            "video": None,
        }
        return Reply(200, "", {"Location": f"{self.url}/yt/upload-session/{session_id}"})

    def _yt_session(self, call: Call) -> Reply:
        session_id = call.path.rsplit("/", 1)[-1]
        session = self.yt_sessions.get(session_id)
        if session is None:
            raise Reply(404, {"error": {"code": 404, "message": "Upload session not found"}})
        if not call.body:
            if session["video"]:
                return Reply(200, session["video"])
            headers = {"Range": f"bytes=0-{session['received'] - 1}"} if session["received"] else {}
            return Reply(308, "", headers)
        session["received"] += len(call.body)
        if session["received"] < session["size"]:
            return Reply(308, "", {"Range": f"bytes=0-{session['received'] - 1}"})
        video_id = f"yt{self.next_id()}"
        snippet = session["metadata"].get("snippet", {})
        session["video"] = {
            "kind": "youtube#video",
            "id": video_id,
            "snippet": {"title": snippet.get("title"), "description": snippet.get("description")},
            "status": {
                "uploadStatus": "uploaded",
                "privacyStatus": session["metadata"].get("status", {}).get("privacyStatus"),
            },
        }
        self.posts["youtube"].append(
            {"id": video_id, "title": snippet.get("title"), "bytes": session["received"]}
        )
        return Reply(200, session["video"])

    def _google_token(self, call: Call) -> Reply:
        if call.form.get("refresh_token") in self.refused_tokens:
            raise Reply(
                400, {"error": "invalid_grant", "error_description": "Token has been expired or revoked."}
            )
        return Reply(200, {"access_token": "yt-renewed", "expires_in": 3599, "token_type": "Bearer"})

    # TikTok -------------------------------------------------------------------------

    def _tt_ok(self, data: dict) -> Reply:
        return Reply(
            200, {"data": data, "error": {"code": "ok", "message": "", "log_id": "20240101000000OK"}}
        )

    def _route_tiktok(self, call: Call, parts: list[str]):
        path = "/".join(parts)
        if path == "v2/user/info":
            call.operation = "whoami"
            return lambda c: self._tt_ok(
                {
                    "user": {
                        "open_id": "tt-open-id",
                        "display_name": self.names.get("tiktok", "Kemenag Contoh"),
                    }
                }
            )
        if path == "v2/post/publish/creator_info/query":
            call.operation = "creator_info"
            return lambda c: self._tt_ok(
                {
                    "creator_avatar_url": "https://example.invalid/avatar.jpg",
                    "creator_username": "kemenagcontoh",
                    "creator_nickname": "Kemenag Contoh",
                    "privacy_level_options": self.tiktok_privacy_options,
                    "comment_disabled": False,
                    "duet_disabled": False,
                    "stitch_disabled": False,
                    "max_video_post_duration_sec": 600,
                }
            )
        if path == "v2/post/publish/video/init":
            call.operation = "init"
            return self._tt_init
        if path == "v2/post/publish/status/fetch":
            call.operation = "status"
            return self._tt_status
        if path == "v2/video/query":
            call.operation = "engagement"
            return lambda c: self._tt_ok(
                {
                    "videos": [
                        {"id": vid, "like_count": 50, "comment_count": 8, "share_count": 3, "view_count": 900}
                        for vid in ((c.json or {}).get("filters") or {}).get("video_ids", [])
                    ],
                    "cursor": 0,
                    "has_more": False,
                }
            )
        if path == "v2/oauth/token":
            call.operation = "token"
            return lambda c: Reply(
                200,
                {
                    "access_token": "tt-renewed",
                    "expires_in": 86400,
                    "open_id": "tt-open-id",
                    "refresh_token": "tt-refresh-2",
                    "refresh_expires_in": 31536000,
                    "scope": "video.publish",
                    "token_type": "Bearer",
                },
            )
        raise Reply(
            404, {"data": {}, "error": {"code": "invalid_params", "message": "Not found", "log_id": "x"}}
        )

    def _tt_init(self, call: Call) -> Reply:
        body = call.json or {}
        source = body.get("source_info") or {}
        post_info = body.get("post_info") or {}
        if (
            source.get("source") != "FILE_UPLOAD"
            or post_info.get("privacy_level") not in self.tiktok_privacy_options
        ):
            raise Reply(
                400,
                {
                    "data": {},
                    "error": {
                        "code": "invalid_params",
                        "message": "Invalid source or privacy level.",
                        "log_id": "y",
                    },
                },
            )
        number = self.next_id()
        publish_id = f"v_pub_file~v2-1.{number}"
        self.tt_publishes[publish_id] = {
            "title": post_info.get("title", ""),
            "size": source.get("video_size"),
            "chunks": source.get("total_chunk_count"),
            "received": 0,
            "status": "PROCESSING_UPLOAD",
            "polls_left": self.processing_polls,
            "post_id": None,
            "upload": number,
        }
        return self._tt_ok({"publish_id": publish_id, "upload_url": f"{self.url}/tt-upload/{number}"})

    def _tt_upload(self, call: Call) -> Reply:
        number = call.path.rsplit("/", 1)[-1]
        publish_id = f"v_pub_file~v2-1.{number}"
        publish = self.tt_publishes.get(publish_id)
        if publish is None:
            raise Reply(404, "")
        publish["received"] += len(call.body)
        if publish["received"] < publish["size"]:
            return Reply(206, "")
        publish["status"] = "PROCESSING_DOWNLOAD" if self.processing_polls else "PUBLISH_COMPLETE"
        post_id = str(7_300_000_000_000_000_000 + int(number))
        publish["post_id"] = post_id
        self.posts["tiktok"].append({"id": post_id, "publish_id": publish_id, "title": publish["title"]})
        return Reply(201, "")

    def _tt_status(self, call: Call) -> Reply:
        publish = self.tt_publishes.get((call.json or {}).get("publish_id", ""))
        if publish is None:
            raise Reply(
                400,
                {"data": {}, "error": {"code": "invalid_publish_id", "message": "Not found.", "log_id": "z"}},
            )
        if publish["status"] == "PROCESSING_DOWNLOAD":
            publish["polls_left"] -= 1
            if publish["polls_left"] < 0:
                publish["status"] = "PUBLISH_COMPLETE"
        data = {"status": publish["status"], "fail_reason": "", "uploaded_bytes": publish["received"]}
        if publish["status"] == "PUBLISH_COMPLETE":
            data["publicaly_available_post_id"] = [int(publish["post_id"])]
        return self._tt_ok(data)


def _parse_multipart(content_type: str, body: bytes) -> dict:
    """Form fields of a multipart body; file parts as bytes, others as str."""
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
    )
    form = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        form[name] = payload if part.get_filename() else payload.decode()
    return form

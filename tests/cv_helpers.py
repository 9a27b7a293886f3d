"""CVs made by the tests (a PDF written by hand, a DOCX by python-docx), and a fake
OpenAI-compatible server that drafts a profile, for `jobpicks init --cv`."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import docx
from local_server import LocalServer, QuietHandler

CV_LINES = [
    "Jane Example",
    "Senior Backend Engineer | Berlin, Germany | jane@example.com | +49 30 1234567",
    "Summary",
    "Backend engineer with eight years of Python, building payment systems on Kubernetes.",
    "I quietly collect vintage typewriters on weekends.",
    "Experience",
    "Senior Backend Engineer, Acme Payments GmbH (2021 - present)",
    "Built Python services on Kubernetes and PostgreSQL handling 2M payments a day.",
    "Introduced Kafka for event streaming and Terraform for AWS infrastructure.",
    "Platform Engineer, Globex (2017 - 2021)",
    "Django and PostgreSQL; a Go gateway; open to remote work.",
    "Skills",
    "Python, Go, Kubernetes, PostgreSQL, Kafka, Terraform, AWS, Docker",
]
PRIVATE_LINE = "I quietly collect vintage typewriters on weekends."
"""A line no written file may contain: the CV is read, never copied."""


def write_text_cv(path: Path) -> Path:
    path.write_text("\n".join(CV_LINES) + "\n", encoding="utf-8")
    return path


def write_markdown_cv(path: Path) -> Path:
    headings = {"Summary", "Experience", "Skills"}
    lines = [f"## {line}" if line in headings else line for line in CV_LINES]
    path.write_text("# " + "\n\n".join(lines) + "\n", encoding="utf-8")
    return path


SALES_CV_LINES = [
    "Alex Morgan",
    "Senior Account Executive | Hamburg, Germany | alex@example.com",
    "Profile",
    "Enterprise seller with seven years of SaaS sales to mid-market and enterprise accounts.",
    "Experience",
    "Senior Account Executive, CloudCo (2020 - present)",
    "Ran full-cycle enterprise deals in DACH, averaging 120% of quota.",
    "Sales Development Representative, StartCo (2017 - 2020)",
    "Booked meetings for a team of six account executives.",
    "Skills",
    "Salesforce, HubSpot, negotiation, forecasting, Excel",
]
"""A CV with no tech title in it."""
_HEADINGS = ("Summary", "Profile", "Experience", "Skills")


def write_docx_cv(path: Path, lines: list[str] = CV_LINES) -> Path:
    document = docx.Document()
    document.add_heading(lines[0], level=0)
    for line in lines[1:]:
        if line in _HEADINGS:
            document.add_heading(line, level=1)
        else:
            document.add_paragraph(line)
    document.save(str(path))
    return path


def write_pdf_cv(path: Path, lines: list[str] = CV_LINES) -> Path:
    """A one-page PDF with the lines in Helvetica: the smallest file pypdf reads as text."""

    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    shown = " T* ".join(f"({escape(line)}) Tj" for line in lines)
    stream = f"BT /F1 10 Tf 14 TL 50 760 Td {shown} ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(bytes(out))
    return path


MODEL_DRAFT: dict[str, Any] = {
    "titles": ["Platform Engineer", "Backend Engineer"],
    "must_have": ["Python", "Kubernetes"],
    "nice_to_have": ["Kafka", "Terraform"],
    "locations": ["Berlin"],
    "remote": "preferred",
    "seniority": ["senior"],
    "summary": "I build payment platforms and want to move towards platform reliability work.",
}


class FakeDraftServer:
    """`POST /v1/chat/completions` answering with `MODEL_DRAFT` (or `status`), recording
    every request body: the real openai SDK talks to it over HTTP."""

    def __init__(self, status: int = 200) -> None:
        self.status = status
        self.requests: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        server = self

        class Handler(QuietHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with server.lock:
                    server.requests.append(body)
                if server.status != 200:
                    payload: Any = {"error": {"message": "bad key", "type": "invalid_request"}}
                else:
                    payload = {
                        "id": "chatcmpl-draft",
                        "object": "chat.completion",
                        "created": 1763900000,
                        "model": body["model"],
                        "choices": [
                            {
                                "index": 0,
                                "finish_reason": "stop",
                                "message": {
                                    "role": "assistant",
                                    "content": json.dumps(MODEL_DRAFT),
                                },
                            }
                        ],
                        "usage": {
                            "prompt_tokens": 500,
                            "completion_tokens": 80,
                            "total_tokens": 580,
                        },
                    }
                data = json.dumps(payload).encode()
                self.send_response(server.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = LocalServer(Handler)

    @property
    def base_url(self) -> str:
        return f"{self.server.origin}/v1"

    def __enter__(self) -> FakeDraftServer:
        self.server.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.stop()

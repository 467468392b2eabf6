"""Pure: a response's Content-Encoding layers undone a bounded piece at a time.

httpx's decoders inflate each chunk whole, layer after layer: a few KB sent as `gzip, gzip` grew to
gigabytes before the fetcher could count a byte. Here every layer hands on at most PIECE bytes at a
time and inflates more only when the next one (in the end the reader, who counts against
FETCH_MAX_BYTES) asks for it, so a bomb is stopped at the limit whatever its nesting.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Sequence

PIECE = 64 * 1024
MAX_LAYERS = 4  # more Content-Encodings than that is no real server
_WBITS = {"gzip": zlib.MAX_WBITS | 32, "x-gzip": zlib.MAX_WBITS | 32}  # gzip or zlib header, detected
ACCEPT_ENCODING = "gzip, deflate"


class DecodeFailed(Exception):
    """The body cannot be decoded: an unknown encoding or a corrupt stream."""


class _Inflater:
    """One gzip or deflate layer."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self.stream: zlib._Decompress | None = None
        self.ended = False
        self.members = 0

    def _open(self, data: bytes) -> zlib._Decompress:
        wbits = _WBITS.get(self.encoding)
        if wbits is None:  # deflate: zlib-wrapped as the RFC says, or raw as many servers send it
            zlib_header = len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
            wbits = zlib.MAX_WBITS if zlib_header else -zlib.MAX_WBITS
        return zlib.decompressobj(wbits)

    def feed(self, data: bytes) -> Iterator[bytes]:
        """Inflate data, PIECE bytes at most per piece handed on."""
        while data and not self.ended:
            if self.stream is None:
                self.stream = self._open(data)
            out = self._step(data)
            if out:
                yield out
            data = self.stream.unconsumed_tail if self.stream else b""
            # A full piece may leave output inside zlib with no input left to feed it.
            while self.stream and not data and len(out) == PIECE and not self.stream.eof:
                out = self._step(b"")
                if out:
                    yield out
            if self.stream and self.stream.eof:
                data = self.stream.unused_data + data
                self.stream, self.members = None, self.members + 1
                # Another gzip member may follow; padding after the last one is ignored, as gzip does.
                self.ended = self.encoding == "deflate" or not data.strip(b"\0")

    def _step(self, data: bytes) -> bytes:
        try:
            return self.stream.decompress(data, PIECE)
        except zlib.error as exc:
            if self.members:  # junk after a complete member: the body is complete, ignore the rest
                self.stream, self.ended = None, True
                return b""
            raise DecodeFailed(f"corrupt {self.encoding} stream: {exc}") from None


class Decoder:
    """All the Content-Encoding layers of one response, in the order the header lists them."""

    def __init__(self, encodings: Sequence[str]) -> None:
        names = [e.strip().lower() for e in encodings if e.strip() and e.strip().lower() != "identity"]
        unknown = sorted(set(names) - {"gzip", "x-gzip", "deflate"})
        if unknown:
            raise DecodeFailed(f"unsupported content encoding {', '.join(unknown)}")
        if len(names) > MAX_LAYERS:
            raise DecodeFailed(f"{len(names)} content encodings; at most {MAX_LAYERS} are read")
        self.layers = [_Inflater(name) for name in reversed(names)]  # the last applied comes off first

    def feed(self, data: bytes) -> Iterator[bytes]:
        """The decoded pieces of one chunk off the wire, produced only as they are taken."""
        yield from self._through(0, data)

    def _through(self, index: int, data: bytes) -> Iterator[bytes]:
        if index == len(self.layers):
            if data:
                yield data
            return
        for piece in self.layers[index].feed(data):
            yield from self._through(index + 1, piece)

"""Whether a screenshot is blank: decodes the PNG Chromium writes (8-bit RGB or RGBA,
not interlaced) with the standard library only and samples its colours."""
import struct
import zlib


def blank_page_problem(path):
    """None for a page with content; otherwise what is wrong with the picture."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return "the screenshot is not a PNG"
    pos, idat, width, height, ctype = 8, b"", 0, 0, 2
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            width, height, _depth, ctype = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    channels = {2: 3, 6: 4}[ctype]
    stride = width * channels
    prev, colours, ink, i = bytearray(stride), set(), 0, 0
    for y in range(height):
        f = raw[i]
        line = bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b = prev[x]
            c = prev[x - channels] if x >= channels else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + ((a + b) >> 1)) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        if y % 4 == 0:
            for x in range(0, stride, channels * 4):
                px = bytes(line[x:x + 3])
                colours.add(px)
                if px != b"\xff\xff\xff":
                    ink += 1
        prev = line
    share = ink / max(1, (height // 4) * (width // 4))
    print("screenshot %dx%d: %d colours sampled, %.1f%% non-white" % (width, height, len(colours), share * 100))
    if len(colours) < 8 or share < 0.02:
        return "the page looks blank (%d colours, %.1f%% non-white)" % (len(colours), share * 100)
    return None

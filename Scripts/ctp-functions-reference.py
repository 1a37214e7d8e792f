#!/usr/bin/env python3
"""Independent reference for CTP's anonymizer value functions (RSNA CTP AnonymizerFunctions, DICOMAnonymizer
glue, org.rsna.util.DateUtil/DigestUtil at CTP commit 361e90f), written from the Java source, not from the Swift.

Reads JSON lines on stdin, {"f": "hashuid", "args": [...], "key": "hex"?}, and writes one JSON value per line
(a string, or null where CTP throws or its script writes an empty value). Functions and arguments:
  hashuid [prefix, uid]            hash [value, maxLength|null]     hashptid [site, ptid, maxLength|null]
  hashname [value, maxLength, words|null]   initials [name]         round [age, width]
  incrementdate [date, days]       modifydate [date, y|null, m|null, d|null]   hashdate [date, hashOf]
"key" (hex) selects the keyed variant: the first 16 bytes of HMAC-SHA-256 instead of MD5.
Dates use a lenient java.util.GregorianCalendar in UTC (Julian before 1582-10-15), by Julian Day Numbers.
"""
import hashlib
import hmac
import json
import math
import re
import struct
import sys
import unicodedata

INT_MAX, INT_MIN = 2**31 - 1, -2**31


def java_trim(s):
    return re.sub(r'^[\x00-\x20]+|[\x00-\x20]+$', '', s)


def to_int32(n):
    n &= 0xFFFFFFFF
    return n - 2**32 if n >= 2**31 else n


def usmd5(text, key):
    data = text.encode('utf-8')
    digest = hashlib.md5(data).digest() if key is None else hmac.new(key, data, hashlib.sha256).digest()[:16]
    return str(int.from_bytes(digest, 'big'))


def java_hash(text, maxlen, key):
    if maxlen is None or maxlen < 1:
        maxlen = INT_MAX
    h = usmd5(text, key)
    return h if len(h) <= maxlen else h[:maxlen]


def utf16(s):
    b = s.encode('utf-16-le', 'surrogatepass')
    return [b[i] | b[i + 1] << 8 for i in range(0, len(b), 2)]


def from_utf16(units):
    return b''.join(struct.pack('<H', u) for u in units).decode('utf-16-le', 'replace')


def hashuid(prefix, uid, key):
    prefix = java_trim(prefix)
    if prefix != '' and not prefix.endswith('.'):
        prefix += '.'
    h = usmd5(uid, key)
    new = prefix + ('9' if h.startswith('0') else '') + h
    u = utf16(new)
    return from_utf16(u[:64]) if len(u) > 64 else new


def hashptid(site, ptid, maxlen, key):
    return java_hash('[' + java_trim(site) + ']' + java_trim(ptid), maxlen, key)


def hashname(value, maxlen, words, key):
    if words is None or words <= 0:
        words = INT_MAX
    parts = value.split('^')
    s = ''.join(parts[:words])
    s = re.sub(r"[ \t\n\x0b\f\r,'^.]", '', s).upper()
    return java_hash(s, maxlen, key)


def initials(name):
    s = name.replace('^', ' ').replace(',', ' ')
    s = java_trim(re.sub(r'[ \t\n\x0b\f\r]+', ' ', s))
    if s == '':
        return 'X'
    words = s.split(' ')
    letters = ['?' if ord(w[0]) > 0xFFFF else w[0] for w in words]
    if len(letters) > 1:
        letters = letters[1:] + letters[:1]
    return ''.join(letters).upper()


def f32(x):
    if math.isnan(x) or math.isinf(x):
        return x
    try:
        return struct.unpack('<f', struct.pack('<f', x))[0]
    except OverflowError:
        return math.copysign(math.inf, x)


def int_cast(x):
    if math.isnan(x):
        return 0
    if x >= 2**31:
        return INT_MAX
    if x <= -2**31:
        return INT_MIN
    return int(x)  # truncates toward zero


def java_round(x):
    if math.isnan(x):
        return 0
    if math.isinf(x):
        return INT_MAX if x > 0 else INT_MIN
    return int_cast(math.floor(x + 0.5) if abs(x) < 2**52 else x)


def round_age(age, width):
    age = java_trim(age)
    if age == '':
        return ''
    digits = re.sub(r'[^0-9]', '', age)
    if digits == '':
        return None
    value = f32(float(digits))
    w = to_int32(width)
    if w == 0:
        q = math.nan if value == 0 else math.inf
    else:
        q = f32(value / float(f32(w)))
    result = str(to_int32(java_round(q) * w)) + re.sub(r'[0-9]', '', age)
    if len(utf16(result)) % 2:
        result = '0' + result
    return result


# ---- calendar: Julian Day Numbers (Richards' algorithms), fixed date = JDN - 1721425
CUTOVER = 2299161  # JDN of Gregorian 1582-10-15


def jdn_gregorian(y, m, d):
    a = (14 - m) // 12
    y2, m2 = y + 4800 - a, m + 12 * a - 3
    return d + (153 * m2 + 2) // 5 + 365 * y2 + y2 // 4 - y2 // 100 + y2 // 400 - 32045


def jdn_julian(y, m, d):
    a = (14 - m) // 12
    y2, m2 = y + 4800 - a, m + 12 * a - 3
    return d + (153 * m2 + 2) // 5 + 365 * y2 + y2 // 4 - 32083


def from_jdn(j):
    if j >= CUTOVER:
        a = j + 32044
        b = (4 * a + 3) // 146097
        c = a - 146097 * b // 4
    else:
        b, c = 0, j + 32082
    d = (4 * c + 3) // 1461
    e = c - 1461 * d // 4
    m = (5 * e + 2) // 153
    day = e - (153 * m + 2) // 5 + 1
    month = m + 3 - 12 * (m // 10)
    year = 100 * b + d - 4800 + m // 10
    return year, month, day


def lenient_jdn(year, month0, day, extra=0):
    y = year + month0 // 12
    m = month0 % 12 + 1
    j = extra + jdn_julian(y, m, 1) + day - 1
    if year < 1582:
        return j
    g = extra + jdn_gregorian(y, m, 1) + day - 1
    return g if g >= CUTOVER else j


def java_parse_int(units):
    if not units:
        return None
    i, neg = 0, False
    if units[0] in (0x2B, 0x2D):
        neg, i = units[0] == 0x2D, 1
        if len(units) == 1:
            return None
    v = 0
    for u in units[i:]:
        if 0xD800 <= u <= 0xDFFF:
            return None
        try:
            v = v * 10 + unicodedata.decimal(chr(u))
        except ValueError:
            return None
    v = -v if neg else v
    return v if INT_MIN <= v <= INT_MAX else None


FLOAT_RE = re.compile(r'^[+-]?(?:NaN|Infinity|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[fFdD]?)$')


HEX_RE = re.compile(r'^([+-]?)0[xX]((?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)[pP][+-]?[0-9]+)[fFdD]?$')


def java_parse_float(text):
    t = java_trim(text)
    h = HEX_RE.match(t)
    if h:
        try:
            return f32(float.fromhex(h.group(1) + '0x' + h.group(2)))
        except OverflowError:
            return -math.inf if h.group(1) == '-' else math.inf
    if not FLOAT_RE.match(t):
        return None
    t = t.rstrip('fFdD') if t[-1] in 'fFdD' else t
    return f32(float(t))


def get_calendar(date):
    f = calendar_fields(date)
    return None if f is None else lenient_jdn(*f)


def calendar_fields(date):
    s = re.sub(r'[@:T\-\s]', '', date, flags=re.ASCII)
    if s.startswith('00'):
        s = '19' + s[2:]
    if '\\' in s:
        s = s[:s.index('\\')]
    u = utf16(s)
    if len(u) < 8:
        return None
    year, month, day = java_parse_int(u[0:4]), java_parse_int(u[4:6]), java_parse_int(u[6:8])
    if year is None or month is None or day is None:
        return None
    secs = 0
    if len(u) > 8:
        t = u[8:]
        if 0x26 in t:
            t = t[:t.index(0x26)]
        if len(t) < 4:
            return None
        hour, minute = java_parse_int(t[0:2]), java_parse_int(t[2:4])
        if hour is None or minute is None:
            return None
        sec = 0
        if len(t) > 4:
            f = java_parse_float(from_utf16(t[4:]))
            if f is None:
                return None
            sec = int_cast(f)
        secs = (hour * 60 + minute) * 60 + sec
    return year, month - 1, day, secs // 86400


def fmt(jdn, original):
    y, m, d = from_jdn(jdn)
    iso = '-' in original
    dlen = 10 if iso else 8
    sep = '-' if iso else ''
    u = utf16(original)
    suffix = from_utf16(u[dlen:]) if len(u) > dlen else ''
    era_year = 1 - y if y <= 0 else y
    return str(era_year).zfill(4) + sep + str(m).zfill(2) + sep + str(d).zfill(2) + suffix


def script_dates(date, per_value):
    if len(utf16(date)) < 8:
        return None
    if date == '':
        parts = ['']
    else:
        parts = date.split('\\')
        while parts and parts[-1] == '':
            parts.pop()
    out = []
    for p in parts:
        r = per_value(p)
        if r is None:
            return None
        out.append(r)
    return '\\'.join(out)


def increment_one(date, days):
    j = get_calendar(date)
    return None if j is None else fmt(j + to_int32(days), date)


def modify_one(date, y, m, d):
    f = calendar_fields(date)
    if f is None:
        return None
    if y >= 0 and m >= 0 and d >= 0:
        # Java's Calendar.set(y, m, d) on a calendar nobody has read yet: fields were never normalized, so the
        # era is AD and the days of an hour value past 23 still count.
        return fmt(lenient_jdn(y, m - 1, d, f[3]), date)
    j = lenient_jdn(*f)
    cy, cm, cd = from_jdn(j)
    bc = cy <= 0
    era_year = (1 - cy if bc else cy) if y < 0 else y
    year = 1 - era_year if bc else era_year
    month0 = cm - 1 if m < 0 else m - 1
    day = cd if d < 0 else d
    return fmt(lenient_jdn(year, month0, day), date)


def hashdate_shift(text, key):
    h = usmd5(text, key)
    inc = -(int(h[-4:]) % 3650)
    return -1 if inc == 0 else inc


def call(f, a, key):
    if f == 'hashuid':
        return hashuid(a[0], a[1], key)
    if f == 'hash':
        return java_hash(a[0], a[1], key)
    if f == 'hashptid':
        return hashptid(a[0], a[1], a[2], key)
    if f == 'hashname':
        return hashname(a[0], a[1], a[2], key)
    if f == 'initials':
        return initials(a[0])
    if f == 'round':
        return round_age(a[0], a[1])
    if f == 'incrementdate':
        return script_dates(a[0], lambda x: increment_one(x, a[1]))
    if f == 'modifydate':
        y, m, d = (-1 if v is None else to_int32(v) for v in a[1:4])
        return script_dates(a[0], lambda x: modify_one(x, y, m, d))
    if f == 'hashdate':
        shift = hashdate_shift(a[1], key)
        return script_dates(a[0], lambda x: increment_one(x, shift))
    raise ValueError('unknown function ' + f)


def main():
    out = sys.stdout
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        key = bytes.fromhex(req['key']) if req.get('key') is not None else None
        out.write(json.dumps(call(req['f'], req['args'], key)) + '\n')


if __name__ == '__main__':
    main()

#!/usr/bin/env python3
"""Reference answers from python-stdnum for the dfx_ident differential test.

Usage: stdnum_oracle.py INPUT OUTPUT
       stdnum_oracle.py --char-map OUTPUT

INPUT holds one candidate per line (UTF-8, '\\n'-terminated; a line may hold any other character,
tabs and U+2028 included). For each line OUTPUT gets one tab-separated line with these fields ('-'
when not applicable):

  imei_valid  imei_type  imei_canonical  meid_valid  meid_hex  meid_hex_check
  meid_decimal  meid_decimal_check  pesn

imei_canonical is stdnum's validated IMEI with the Luhn digit appended when 14 digits were given
(dfx always stores 15), or the 16-digit IMEISV. The MEID values come from meid.validate(),
meid.format(..., add_check_digit=True), meid.format(..., format='dec') and to_pseudo_esn().
--char-map writes the Unicode characters stdnum reads as ASCII, one per line: the code point in
hex, a tab, the ASCII character.

Exit status 3 means python-stdnum is not importable by this interpreter.
"""
import sys

try:
    from stdnum import imei, luhn, meid, util
    from stdnum.exceptions import ValidationError
except ImportError as exc:  # the C++ test turns this into a clear failure
    sys.stderr.write('python-stdnum is not available to %s (%s); install the Debian package '
                     'python3-stdnum (scripts/setup does)\n' % (sys.executable, exc))
    sys.exit(3)


def imei_fields(number):
    try:
        value = imei.validate(number)
    except ValidationError:
        return ['0', '-', '-']
    kind = imei.imei_type(number)
    if len(value) == 14:
        value += luhn.calc_check_digit(value)
    return ['1', kind, value]


def meid_fields(number):
    try:
        value = meid.validate(number)
    except ValidationError:
        return ['0', '-', '-', '-', '-', '-']
    return [
        '1',
        value,
        meid.format(value, separator='', add_check_digit=True),
        meid.format(value, separator='', format='dec'),
        meid.format(value, separator='', format='dec', add_check_digit=True),
        meid.to_pseudo_esn(value),
    ]


def write_char_map(path):
    with open(path, 'w', encoding='utf-8', newline='\n') as dst:
        for char, ascii_char in sorted(util._char_map.items()):
            dst.write('%X\t%s\n' % (ord(char), ascii_char))


def main():
    if len(sys.argv) == 3 and sys.argv[1] == '--char-map':
        write_char_map(sys.argv[2])
        return 0
    if len(sys.argv) != 3:
        sys.stderr.write('usage: stdnum_oracle.py INPUT OUTPUT | --char-map OUTPUT\n')
        return 2
    with open(sys.argv[1], encoding='utf-8', newline='\n') as src, \
            open(sys.argv[2], 'w', encoding='utf-8', newline='\n') as dst:
        for line in src:
            number = line[:-1] if line.endswith('\n') else line
            dst.write('\t'.join(imei_fields(number) + meid_fields(number)) + '\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())

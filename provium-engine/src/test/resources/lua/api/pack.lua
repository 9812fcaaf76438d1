local fails = dofile("helpers.lua").fails

test("packs little-endian fields", function()
  assert_eq("\1\0\42\0\0\0", provium.pack("u16 u32", 1, 42))
  assert_eq("\255", provium.pack("i8", -1))
  assert_eq("\254\255", provium.pack("i16", -2))
  assert_eq("\0\0\0\128", provium.pack("u32", 2^31))
  assert_eq(string.rep("\255", 8), provium.pack("i64", -1))
  assert_eq("", provium.pack(""))
end)

test("accepts any spacing between types", function()
  assert_eq("\1\2", provium.pack("  u8\t u8 ", 1, 2))
end)

test("round-trips every type at its limits", function()
  local format = "u8 i8 u16 i16 u32 i32 u64 i64"
  local values = {255, -128, 65535, -32768, 4294967295, -2147483648, 2^53, -2^53}
  assert_eq(values, {provium.unpack(format, provium.pack(format, table.unpack(values)))})
  local low = {0, 127, 0, 32767, 0, 2147483647, 0, 0}
  assert_eq(low, {provium.unpack(format, provium.pack(format, table.unpack(low)))})
end)

test("0x strings reach every 64-bit pattern", function()
  local data = provium.pack("u64 i64", "0xffffffffffffffff", "0x8000000000000000")
  assert_eq(string.rep("\255", 8) .. "\0\0\0\0\0\0\0\128", data)
  local u, i = provium.unpack("u64 i64", data)
  assert_eq("0xffffffffffffffff", u)
  assert_eq("0x8000000000000000", i)
  assert_eq(data, provium.pack("u64 i64", u, i))
end)

test("64-bit values beyond 2^53 unpack to 0x strings", function()
  assert_eq("0x0020000000000001", provium.unpack("u64", provium.pack("u64", "0x20000000000001")))
  assert_eq("0xffdfffffffffffff", provium.unpack("i64", provium.pack("i64", "0xffdfffffffffffff")))
  assert_eq(-1, provium.unpack("i64", provium.pack("i64", "0xFFFFFFFFFFFFFFFF")))
  assert_eq("0x8000000000000000", provium.unpack("u64", provium.pack("u64", 2^63)))
end)

test("hex strings give narrow fields their bits", function()
  assert_eq("\255", provium.pack("i8", "0xff"))
  assert_eq(-1, provium.unpack("i8", provium.pack("i8", "0xff")))
  assert_eq("\52\18", provium.pack("u16", "0x1234"))
  assert_eq("\1\0", provium.pack("u16", "0x0000000001"))
end)

test("values out of range name the field", function()
  fails("bad argument #3 to 'provium.pack' (field 2 (u8): 256 is out of range 0..255)",
    provium.pack, "u32 u8", 1, 256)
  fails("field 1 (i8): -129 is out of range -128..127", provium.pack, "i8", -129)
  fails("field 1 (u32): 4294967296 is out of range 0..4294967295", provium.pack, "u32", 2^32)
  fails("field 1 (u64): -1 is out of range 0..18446744073709551615", provium.pack, "u64", -1)
  fails("field 1 (u64): 18446744073709551616 is out of range", provium.pack, "u64", 2^64)
  fails("field 1 (i64): 9223372036854775808 is out of range", provium.pack, "i64", 2^63)
  fails("field 1 (u32): 1.5 is not an integer", provium.pack, "u32", 1.5)
  fails("field 1 (u16): 0x10000 does not fit in 16 bits", provium.pack, "u16", "0x10000")
  fails("field 1 (u64): 0x1ffffffffffffffff does not fit in 64 bits", provium.pack, "u64", "0x1ffffffffffffffff")
  fails("field 1 (u8): strings must be \"0x\" followed by hex digits, got \"12\"", provium.pack, "u8", "12")
  fails("field 1 (u8): number or \"0x…\" string expected, got table", provium.pack, "u8", {})
end)

test("the format and the values must agree", function()
  fails("bad argument #3 to 'provium.pack' (field 2 (i32) has no value)", provium.pack, "u8 i32", 1)
  fails("format has 1 fields but 2 values were given", provium.pack, "u8", 1, 2)
  fails("unknown type 'u128' for field 2; known types: u8 i8 u16 i16 u32 i32 u64 i64",
    provium.pack, "u8 u128", 1, 2)
  fails("bad argument #1 to 'provium.pack' (string expected, got nil)", provium.pack)
  fails("unknown type 'x' for field 1", provium.unpack, "x", "")
end)

test("unpack of short data is an error", function()
  fails("bad argument #2 to 'provium.unpack' (data has 5 bytes but the format needs 8; "
    .. "field 2 (u32) at byte offset 4 is incomplete)", provium.unpack, "u32 u32", "\1\0\0\0\2")
  fails("data has 0 bytes but the format needs 1", provium.unpack, "u8", "")
  fails("bad argument #2 to 'provium.unpack' (string expected, got number)", provium.unpack, "u8", 5)
end)

test("unpack ignores trailing bytes and accepts a string wrapper", function()
  assert_eq(7, provium.unpack("u8", "\7\8\9"))
  local a, b = provium.unpack("u8 u8", provium.wrap("\1\2"))
  assert_eq({1, 2}, {a, b})
end)

def log = new File(basedir, 'build.log').text
def cache = new File(basedir, 'target/cache/fixtures').canonicalPath
assert log.contains("provium: fixture snapshots in ${cache}: 0")
assert log.contains("provium: deleted 0 fixture snapshots from ${cache}")
assert log.contains("provium.action must be list or clear, got 'shred'")
return true

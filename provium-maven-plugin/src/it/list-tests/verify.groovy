def log = new File(basedir, 'build.log').text
def listed = (log =~ /(?m)^\[INFO\] (src\/test\/lua\/\S+:\d+)\s+(.+)$/).collect { [it[1], it[2]] }
def all = [['src/test/lua/net/links.lua:1', 'a link'], ['src/test/lua/net/routes.lua:1', 'a route'],
           ['src/test/lua/strings.lua:1', 'upper-cases'], ['src/test/lua/strings.lua:5', 'lower-cases']]
// first invocation: everything; second: only net/
assert listed.size() == 6
assert listed.take(4) as Set == all as Set
assert listed.drop(4) as Set == all.take(2) as Set
assert log.contains('4 tests')
assert log.contains('2 tests matching net/*.lua')
assert !new File(basedir, 'target/surefire-reports').exists() : 'listing runs nothing'
return true

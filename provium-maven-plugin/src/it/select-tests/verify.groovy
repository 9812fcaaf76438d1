def cases = { String dir ->
    def reports = new File(basedir, "target/${dir}")
    if (!reports.isDirectory()) {
        return []
    }
    reports.listFiles().findAll { it.name.startsWith('TEST-') }.collectMany { file ->
        new groovy.xml.XmlSlurper().parse(file).testcase.collect { "${it.@classname}#${it.@name}".toString() }
    }.sort()
}
assert cases('r1') == ['strings.lua#upper-cases'] : 'one test of a file'
assert cases('r2') == ['net/links.lua#a link', 'net/routes.lua#a route']
assert cases('r3') == ['net/routes.lua#a route'] : 'a bare file name matches in any directory'
assert cases('r4') == []
assert cases('r5') == []
def log = new File(basedir, 'build.log').text
assert log.contains('No Lua tests matching pattern "nothing.lua" were executed!')
assert log.contains('-Dtest=SomeJavaTest names no Lua test')
return true

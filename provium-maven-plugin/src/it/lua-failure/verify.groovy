def report = new File(basedir, 'target/surefire-reports/TEST-checks.lua.xml')
assert report.isFile()
def suite = new groovy.xml.XmlSlurper().parse(report)
assert suite.@tests == '3'
assert suite.@failures == '1'
assert suite.@errors == '1'
def byName = suite.testcase.collectEntries { [it.@name.text(), it] }
assert byName['passes'].children().size() == 0
def failure = byName['compares wrongly'].failure
assert failure.size() == 1 : 'an assertion failure is a <failure>'
assert failure.@message.text().contains('actual')
assert failure.text().contains('checks.lua:10') : 'the Lua traceback names the line'
def error = byName['raises an error'].error
assert error.size() == 1 : 'a Lua error is an <error>'
assert error.text().contains('checks.lua:15')
// a failed test's output has its guest's kernel log tail, and the path of the console log kept for the file
def keptLog = new File(basedir, 'target/provium-logs/checks.lua/default/console.log')
assert keptLog.isFile() : "no ${keptLog}"
['compares wrongly', 'raises an error'].each {
    def out = byName[it].'system-out'.text()
    assert out.contains('--- kernel log of vm default (last lines) ---')
    assert out.contains('provium-it: written before the failure')
    assert out.contains('console log of vm default kept: ' + keptLog.canonicalPath)
}
assert byName['passes'].'system-out'.size() == 0 : "the file's boot, before its first test, is not that test's output"
assert suite.'system-out'.text().contains('provium: using ') : 'the file prints its boot outside its tests'
assert suite.'system-out'.text().contains('console log of vm default kept: ')

def log = new File(basedir, 'build.log').text
assert log.contains('Tests run: 3, Failures: 1, Errors: 1, Skipped: 0')
assert log.contains('checks.lua#compares wrongly')
assert log.contains('checks.lua#raises an error')
assert log.contains('There are Lua test failures')
assert log.contains('BUILD FAILURE')
return true

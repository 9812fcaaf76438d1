def log = new File(basedir, 'build.log').text
def source = new File(basedir, 'src/main/module/hello.c').canonicalPath
assert log.contains("[ERROR] ${source}:4:") : 'the compiler line names the source file and line'
assert log =~ /error: .undeclared_thing. undeclared/
assert !log.contains('[ERROR]   CC [M]') : 'only the compiler messages are repeated as errors'
assert log.contains('did not build')
assert log.contains('BUILD FAILURE')
return true

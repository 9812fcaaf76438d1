package dev.provium.image;

/** Checks paths inside the guest and turns them into cpio entry names ("/bin/sh" → "bin/sh"). */
final class GuestPaths {

    private GuestPaths() {
    }

    /**
     * @param what names the path in error messages, e.g. "files key"
     * @throws GuestImageException unless the path is absolute, free of NUL, and has only plain segments
     */
    static String entryName(String guestPath, String what) {
        if (guestPath == null || guestPath.isEmpty()) {
            throw new GuestImageException("Guest path (" + what + ") is empty");
        }
        String shown = guestPath.replace("\0", "\\0");
        if (guestPath.indexOf('\0') >= 0) {
            throw new GuestImageException("Guest path '" + shown + "' (" + what + ") contains a NUL character");
        }
        if (!guestPath.startsWith("/")) {
            throw new GuestImageException("Guest path '" + shown + "' (" + what + ") must be absolute");
        }
        if (guestPath.equals("/")) {
            throw new GuestImageException("Guest path '/' (" + what + ") names the root directory, not a file");
        }
        String name = guestPath.substring(1);
        for (String segment : name.split("/", -1)) {
            if (segment.isEmpty()) {
                throw new GuestImageException("Guest path '" + shown + "' (" + what + ") has an empty segment"
                        + " ('//' or a trailing '/')");
            }
            if (segment.equals("..") || segment.equals(".")) {
                throw new GuestImageException("Guest path '" + shown + "' (" + what + ") must not contain '"
                        + segment + "' segments");
            }
        }
        return name;
    }
}

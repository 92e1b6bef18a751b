-- calldb archive, version 10: what each imported file looked like on disk, so re-importing an unchanged folder does
-- not read every file again.
--
-- A file whose device, inode, size, modification time and change time all equal what was recorded when it was read
-- still holds the bytes that were hashed then: any write to a file sets its change time to the time of the write,
-- and programs cannot set a change time back (they can a modification time). Where change times are not kept (FAT,
-- some network mounts), `import --replace` reads every file. A file changed less than a second before it was read is not recorded
-- (file times are kept to the clock tick, so a second write in the same tick could leave them as they were); it is
-- read again next time. Only a file whose recorded hash is still an archived call's content is taken as unchanged
-- without reading it; anything else is read, hashed and settled as before.
CREATE TABLE file_signatures (
    path          TEXT    PRIMARY KEY,   -- the file's canonical path, as in `imports`
    device        INTEGER NOT NULL,
    inode         INTEGER NOT NULL,
    byte_size     INTEGER NOT NULL,
    modified_ns   INTEGER NOT NULL,      -- modification time, nanoseconds since 1970
    changed_ns    INTEGER NOT NULL,      -- change time (of content or metadata), nanoseconds since 1970
    content_hash  TEXT    NOT NULL       -- BLAKE3 of the bytes read
) WITHOUT ROWID;

/*
** ct_files.h - the cloudtrail_files table-valued function (ct_files.c).
*/
#ifndef CT_FILES_H
#define CT_FILES_H

#include <sqlite3ext.h>

/* Register cloudtrail_files on db. Returns an SQLite result code. */
int ctFilesRegister(sqlite3 *db);

#endif /* CT_FILES_H */

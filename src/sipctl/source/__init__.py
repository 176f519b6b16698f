"""Reading plan files (the sources layer, beside `sipctl.git`): `files` reads a small
regular file of UTF-8 text safely, `positions` parses it as YAML keeping the line and
column of every value, `datapaths` names where a value sits, `yaml11` words the YAML 1.1
readings that surprise people."""

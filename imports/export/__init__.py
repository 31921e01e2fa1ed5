"""The export: interventions read the importer's way back into a file.

``service.py`` (select, rows, a whole file or none; what the command, the admin and the
Resource call), ``cells.py`` (a ``ParsedRow`` as the cells of a configuration's columns) and
``writers.py`` (cells to CSV, XLSX or ODS in bounded memory).
"""

"""The province's working calendar: a foundation that custody, dossiers and delays measure time on."""

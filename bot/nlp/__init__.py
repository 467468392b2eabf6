"""Reading articles with spaCy: places, dates, quantities, actors and source-attributed claims."""

"""The inspector's status dashboards (issue 6).

* **Dimensions.** The issue's six — food and clothing, compulsory education, basic medical care,
  safe housing, drinking water, income — are the engine's assessment dimensions one to one
  (``rules.assessment.DIMENSIONS``: ``food_clothing``, ``compulsory_education``,
  ``basic_medical``, ``housing``, ``drinking_water``, ``income``); a household *meets* when every
  dimension passes, *fails* when any fails, else is *unknown*. The stored assessment keeps each
  dimension in its own column (besides the JSON) so counting and filtering never parse JSON.
* **Tallies** (``casework.models.tallies``): per village and month, every count a dashboard
  shows. Written for the whole county in the transaction that makes a recompute run current, and
  for the saved household's village inside every save's transaction (``decision_rows.insert_rows``
  → :func:`counting.refresh_after_insert`), so the current month always equals a direct count.
  Past months keep the figures as last written in that month (China Standard Time): the trend.
  Households added by an import without a recompute are counted at the next recompute or save in
  their village.
* **Reading** (:mod:`reading`): a county is a few hundred tally rows, summed per township and
  village in Python; nothing reads the rules or the registry live.
* **Targets** (:mod:`targets`): the pack's ``inspector-targets.yaml`` (catalog §16, with
  citations) measured on the tallies, with the gap in percentage points and in people or
  households; :mod:`households` lists the households behind every number.
* **Who**: inspectors and county administrators see their county, township staff their township
  (:mod:`areas`); anything else is "not found".
"""

-- The hospital ransomware scenario's conditional injects
-- (scenarios/hospital-ransomware.yaml names this file in `scripts:`).
--
-- The YAML holds the MSEL rows that fire at a fixed time. This file holds
-- what depends on how the night goes, which fixed-time injects cannot say:
-- a contingency if ANSSI has not heard of the attack by 04:00, the
-- hospital's crisis mode once its crisis cell has met, and a second
-- convocation if the first crisis meeting fails.
-- Sources and assumptions: docs/scenarios/hospital-ransomware.md.

-- C1, contingency. ANSSI/CERT-FR should learn of the attack from the
-- hospital within hours (objective anssi-aware-6h). If by 04:00 on Sunday,
-- three hours after the ransom note, nothing about it has reached ANSSI's
-- duty desk (the IT team's alert lost, or not yet written by an engineer
-- alone on call), the director on call, who heard from the emergency
-- department at 01:20 (I03), phones ANSSI.
tocsin.unless('2022-08-21T04:00', 'delivered', {to = 'anssi', incident = 'ransomware'}, function()
  if not tocsin.aware('hospital-crisis-cell', 'ransomware') then
    tocsin.log('C1: nothing had reached ANSSI by 04:00, and the director on call does not know')
    return
  end
  tocsin.send{from = 'hospital-crisis-cell', to = 'anssi', kind = 'alert', incident = 'ransomware',
              channel = 'phone',
              body = 'Ransomware at the hospital group since 01:00: our IT team has not reached you.'}
  tocsin.log('C1: nothing had reached ANSSI by 04:00; the director on call phones its duty desk')
end)

-- Crisis mode. When the hospital's crisis meeting first starts, the plan
-- blanc is on: the crisis cell and the IT team work around the clock until
-- the end of the exercise instead of their office hours, so that the
-- reinforcements of Sunday 14:00 (I05) work on Sunday.
local crisis_mode
crisis_mode = tocsin.on('meeting', {meeting = 'hospital-crisis-meeting'}, function()
  tocsin.set_hours('hospital-crisis-cell', 'always')
  tocsin.set_hours('hospital-it', 'always')
  tocsin.cancel(crisis_mode)
end)

-- C2. If the crisis meeting fails for want of the IT engineer (alone on
-- call, busy, reached late through the backup channels), the director on
-- call convenes it again at once, once.
local reconvene
reconvene = tocsin.on('meeting-failed', {meeting = 'hospital-crisis-meeting'}, function()
  tocsin.convene('hospital-crisis-meeting', {incident = 'ransomware'})
  tocsin.log('C2: the crisis meeting failed; the director on call convenes it again')
  tocsin.cancel(reconvene)
end)

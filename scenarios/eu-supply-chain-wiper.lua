-- The EU supply-chain wiper scenario's scripted injects
-- (scenarios/eu-supply-chain-wiper.yaml names this file in `scripts:`).
--
-- The YAML holds the MSEL rows at fixed times. This file holds what depends
-- on the run: the escalation to critical once victims in three Member
-- States have reported to their CSIRTs, and the Presidency's contingency if
-- EU-CyCLONe has not met by Wednesday noon.
-- Sources and assumptions: docs/scenarios/eu-supply-chain-wiper.md.

-- Critical once the national CSIRTs of all three Member States know: a
-- Union-level crisis in the Blueprint's sense (two or more Member States,
-- enough impact to need political coordination).
tocsin.when(function()
  return tocsin.aware('anssi', 'wiper') and tocsin.aware('de-csirt', 'wiper')
     and tocsin.aware('dk-csirt', 'wiper')
end, function()
  tocsin.escalate('wiper', 'critical')
  tocsin.log('three Member States aware: the wiper is critical')
end)

-- C1, contingency. Unless EU-CyCLONe has met by Wednesday 12:00 (a day
-- after the attack), the Presidency, which chairs it, convenes it itself.
tocsin.unless('2017-06-28T12:00', 'meeting', {meeting = 'cyclone-meeting'}, function()
  tocsin.convene('cyclone-meeting', {incident = 'wiper', severity = 'critical'})
  tocsin.log('C1: no CyCLONe meeting by Wednesday noon; the Presidency convenes it')
end)

-- C2. If the CyCLONe meeting fails for want of quorum, the Presidency
-- convenes it again at once, once.
local again
again = tocsin.on('meeting-failed', {meeting = 'cyclone-meeting'}, function()
  tocsin.convene('cyclone-meeting', {incident = 'wiper', severity = 'critical'})
  tocsin.log('C2: the CyCLONe meeting failed; the Presidency convenes it again')
  tocsin.cancel(again)
end)

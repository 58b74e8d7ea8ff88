-- The SATCOM sabotage scenario's conditional injects
-- (scenarios/military-satcom-sabotage.yaml names this file in `scripts:`).
--
-- The YAML holds the MSEL rows that fire at a fixed time. This file holds
-- what depends on how the crisis goes: the escalation when the invasion
-- begins, the CPCO noticing the silent unit, the NATO liaison officer's
-- call, the diagnosis and replacement of the terminals, the evidence that
-- feeds attribution, and the EU's consensus on a statement.
-- Sources and assumptions: docs/scenarios/military-satcom-sabotage.md.

local WIPE = 'satcom-wipe'

-- X1. When the invasion begins (05:00 Paris, 04:00 UTC), an outage of
-- military SATCOM an hour earlier is presumed hostile: the incident becomes
-- critical, so that what is sent about it from now on without a severity of
-- its own (convocations among them) calls out the on-call staff.
tocsin.at('2022-02-24T05:00', function()
  tocsin.escalate(WIPE, 'critical')
  tocsin.log('X1: the invasion has begun; the SATCOM outage is now critical')
end)

-- C1, contingency. The battlegroup reports to the CPCO every hour on the
-- hour. If nothing from the unit has reached the CPCO by 05:15 (its report
-- over the slow backup is still on its way, or was lost), the watch officer
-- notices the silence himself and raises the alarm.
tocsin.unless('2022-02-24T05:15', 'delivered', {from = 'mil-unit', to = 'cpco'}, function()
  tocsin.send{to = 'cpco', kind = 'alert', incident = WIPE, severity = 'critical',
              body = 'The battlegroup missed its 05:00 report; its SATCOM terminal does not answer.'}
  tocsin.log('C1: nothing from the unit by 05:15; the CPCO watch officer raises the alarm')
end)

-- C2, contingency. NATO sees KA-band outages across the Alliance within
-- hours. If nothing from COMCYBER has reached the NATO liaison by 16:00 on
-- the first day (12 hours after the attack), the liaison officer phones
-- COMCYBER, whose doctrine answers with a sitrep.
tocsin.unless('2022-02-24T16:00', 'delivered', {from = 'comcyber', to = 'nato-liaison'}, function()
  tocsin.send{from = 'nato-liaison', to = 'comcyber', kind = 'request-assistance',
              incident = WIPE, channel = 'phone', severity = 'critical',
              body = 'Allies report satellite terminals down across Europe: are French forces affected?'}
  tocsin.log('C2: nothing from COMCYBER by 16:00; the NATO liaison officer phones it')
end)

-- X2. Diagnosis and replacement. Once the operator's crisis meeting has
-- ended, its engineers need days to establish that the terminals are
-- bricked and cannot be recovered remotely; the crisis cell then tells its
-- customers that they must be replaced. The armed forces' terminals are
-- replaced first: the battlegroup's link comes back one to four days later.
local diagnosis
diagnosis = tocsin.on('meeting-ended', {meeting = 'satop-crisis-meeting'}, function()
  tocsin.cancel(diagnosis)
  tocsin.after(tocsin.draw{dist = 'lognormal', median = '3d', p90 = '6d'}, function()
    tocsin.send{from = 'satop-crisis', to = {'cpco', 'windfarm'}, kind = 'restoration-notice',
                incident = WIPE, severity = 'medium',
                body = 'The terminals were wiped and must be replaced; replacements ship over the coming weeks.'}
    tocsin.log('X2: the operator tells its customers the terminals must be replaced')
    tocsin.after(tocsin.draw{dist = 'uniform', min = '1d', max = '4d'}, function()
      tocsin.channel_up('satcom-mil')
      tocsin.log('X2: replacement terminals installed; the battlegroup\'s SATCOM link is back')
    end)
  end)
end)

-- E1, evidence. Once the operator's SOC has ANSSI's offer of help, it
-- investigates with an incident-response firm; its report (the entry
-- through the VPN appliance, the management commands, the wiper) reaches
-- ANSSI and COMCYBER weeks later.
local investigation
investigation = tocsin.on('handled', {actor = 'satop-soc', kind = 'assistance-offer'}, function(ev)
  tocsin.cancel(investigation)
  local offer = ev.id      -- the report answers the offer: the critical path goes through it
  tocsin.after(tocsin.draw{dist = 'lognormal', median = '25d', p90 = '40d'}, function()
    tocsin.send{from = 'satop-soc', to = {'anssi', 'comcyber'}, kind = 'forensic-report',
                incident = WIPE, severity = 'high', tlp = 'amber', parent = offer,
                body = 'Entry through a misconfigured VPN appliance; destructive management commands; wiper attached.'}
    tocsin.log('E1: the operator\'s forensic report goes to ANSSI and COMCYBER')
  end)
end)

-- E2, contingency on the evidence. A private researcher published the
-- wiper on 31 March 2022. If by then no forensic report has reached ANSSI,
-- the published sample gives it what it needs to start its analysis.
tocsin.unless('2022-03-31T18:00', 'delivered', {to = 'anssi', kind = 'forensic-report'}, function()
  tocsin.send{to = 'anssi', kind = 'forensic-report', incident = WIPE, severity = 'high', tlp = 'clear',
              body = 'A security firm publishes the wiper that bricked the terminals.'}
  tocsin.log('E2: no forensic report by 31 March; ANSSI starts from the published wiper')
end)

-- E3, the EU's consensus. When the Council Presidency has France's
-- proposal, the Member States agree on the text of a statement (outside the
-- exercise); the Presidency then issues it.
local consensus
consensus = tocsin.on('handled', {actor = 'ipcr', kind = 'attribution-proposal'}, function(ev)
  tocsin.cancel(consensus)
  local proposal = ev.id   -- the statement answers France's proposal
  tocsin.after(tocsin.draw{dist = 'lognormal', median = '12d', p90 = '30d'}, function()
    tocsin.send{from = 'ipcr', to = 'meae', kind = 'decision', incident = WIPE, severity = 'high',
                tlp = 'clear', parent = proposal,
                body = 'Statement on behalf of the EU attributing the attack.'}
    tocsin.log('E3: the EU agrees on its attribution statement')
  end)
end)

-- C3. A C4 meeting that fails for want of quorum (members called out late,
-- or convened on a Friday evening) is convened again at once by its chair,
-- at most twice for each meeting.
local reconvened = {}
tocsin.on('meeting-failed', function(ev)
  local n = reconvened[ev.meeting] or 0
  if (ev.meeting == 'c4-technique' or ev.meeting == 'c4-strat') and n < 2 then
    reconvened[ev.meeting] = n + 1
    tocsin.convene(ev.meeting, {incident = WIPE})
    tocsin.log('C3: ' .. ev.meeting .. ' failed for want of quorum; its chair convenes it again')
  end
end)

-- The exercise ends once the MEAE has the EU's statement.
tocsin.on('handled', {actor = 'meae', kind = 'decision', from = 'ipcr'}, function()
  tocsin.log('the EU statement is out: end of the exercise')
  tocsin.end_exercise()
end)

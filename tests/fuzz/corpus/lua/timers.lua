local n = 0
tocsin.every('30m', function(h) n = n + 1; tocsin.log('tick', n); if n > 5 then tocsin.cancel(h) end end)
tocsin.at('T+01:00', function() tocsin.send{from = 'a', to = 'b', kind = 'sitrep', body = 'x'} end)
tocsin.unless('T+02:00', 'delivered', {to = 'b', kind = 'early-warning'}, function() tocsin.channel_down('mail') end)

// OWL 2 DL profile check of the dipkg ontology with the OWL API (Debian's
// libowlapi-java): every violation of the OWL 2 DL profile is printed, one
// per line, and the exit status is the number of violations (capped at
// 100), 0 when the ontology is in OWL 2 DL.
//
//   java -cp CLASSPATH ProfileCheck FILE.ttl...
//
// The files are read as one Turtle document (the dipkg ontology is split
// across ontology/*.ttl; declarations in one file cover the others).
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.TreeSet;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.formats.TurtleDocumentFormat;
import org.semanticweb.owlapi.io.StringDocumentSource;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;

public class ProfileCheck {
  public static void main(String[] args) throws Exception {
    StringBuilder text = new StringBuilder();
    for (String path : args)
      text.append(new String(Files.readAllBytes(Paths.get(path)),
                             StandardCharsets.UTF_8)).append('\n');
    OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
    OWLOntology merged = manager.loadOntologyFromOntologyDocument(
        new StringDocumentSource(text.toString(), "urn:dipkg:ontology",
                                 new TurtleDocumentFormat(), null));
    OWLProfileReport report = new OWL2DLProfile().checkOntology(merged);
    TreeSet<String> lines = new TreeSet<>();
    for (OWLProfileViolation v : report.getViolations())
      lines.add(v.toString().replaceAll("\\s+", " "));
    for (String line : lines)
      System.out.println(line);
    System.out.println("axioms " + merged.getAxiomCount() + " violations "
                       + lines.size());
    System.exit(Math.min(lines.size(), 100));
  }
}

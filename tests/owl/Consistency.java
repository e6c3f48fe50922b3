// Consistency of dipkg's graph under OWL, with Apache Jena's OWL rule
// reasoner (Debian's libapache-jena-java): the ontology files and data
// files are read into one model, the reasoner validates it, and every
// problem it reports is printed.  Exit status 0 when the model is
// consistent, 1 when it is not.
//
//   java -cp CLASSPATH Consistency [--prov-activity] FILE...
//
// --prov-activity adds what a consumer aligning dipkg with PROV-O would
// add: dip:Event rdfs:subClassOf prov:Activity, and PROV's disjointness of
// entities and activities (PROV-CONSTRAINTS).  Events that were
// prov:wasDerivedFrom their article (the old mapping) were prov:Entity by
// that property's domain, and then inconsistent.
import org.apache.jena.rdf.model.InfModel;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.ModelFactory;
import org.apache.jena.reasoner.ReasonerRegistry;
import org.apache.jena.reasoner.ValidityReport;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.vocabulary.OWL;
import org.apache.jena.vocabulary.RDFS;
import java.util.Iterator;

public class Consistency {
  public static void main(String[] args) {
    Model model = ModelFactory.createDefaultModel();
    boolean prov = false;
    for (String arg : args) {
      if (arg.equals("--prov-activity"))
        prov = true;
      else
        RDFDataMgr.read(model, arg);
    }
    String P = "http://www.w3.org/ns/prov#";
    // PROV-O's own declarations that the data relies on.
    model.add(model.createResource(P + "wasDerivedFrom"), RDFS.domain,
              model.createResource(P + "Entity"));
    if (prov) {
      model.add(model.createResource("https://w3id.org/dipkg/ns#Event"),
                RDFS.subClassOf, model.createResource(P + "Activity"));
      model.add(model.createResource(P + "Entity"), OWL.disjointWith,
                model.createResource(P + "Activity"));
    }
    InfModel inf = ModelFactory.createInfModel(
        ReasonerRegistry.getOWLMicroReasoner(), model);
    ValidityReport report = inf.validate();
    int problems = 0;
    for (Iterator<ValidityReport.Report> i = report.getReports(); i.hasNext();) {
      ValidityReport.Report r = i.next();
      System.out.println((r.isError() ? "error: " : "warning: ") + r.getType()
                         + ": " + r.getDescription().replaceAll("\\s+", " "));
      if (r.isError())
        problems++;
    }
    System.out.println("statements " + model.size() + " errors " + problems
                       + (report.isValid() ? " consistent" : " inconsistent"));
    System.exit(report.isValid() ? 0 : 1);
  }
}
